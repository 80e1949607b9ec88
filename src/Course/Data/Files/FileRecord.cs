using System.Security.Cryptography;

namespace Course.Data;

/// <summary>The size and SHA-256 of a file as written, kept in a manifest so that a reader can tell a complete,
/// unchanged file from a truncated, flipped or swapped one before using it.</summary>
public sealed record FileRecord(long Bytes, string Sha256)
{
    public static FileRecord Of(string path)
    {
        using var stream = File.OpenRead(path);
        return new FileRecord(stream.Length, Convert.ToHexStringLower(SHA256.HashData(stream)));
    }

    /// <summary>Throws a <see cref="UserError"/> ending with <paramref name="fix"/> unless the file at
    /// <paramref name="path"/> is the one <paramref name="expected"/> describes.</summary>
    public static void Verify(string path, FileRecord expected, string fix)
    {
        if (!File.Exists(path)) throw new UserError($"{path} is missing. {fix}");
        var actual = Of(path);
        if (actual.Bytes != expected.Bytes)
            throw new UserError($"{path} has {actual.Bytes} bytes, {expected.Bytes} were written: it was truncated or changed. {fix}");
        if (actual.Sha256 != expected.Sha256)
            throw new UserError($"{path} does not match its recorded sha256: it is corrupt. {fix}");
    }
}
