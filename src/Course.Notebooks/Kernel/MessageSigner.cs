using System.Security.Cryptography;

namespace Course.Notebooks.Kernel;

/// <summary>
/// The HMAC-SHA256 signature of a Jupyter message: lower-case hex over the header, parent header, metadata and
/// content frames as sent. Verification compares in constant time, so a forger cannot learn the signature byte by
/// byte from how long the kernel takes to reject a guess.
/// </summary>
public sealed class MessageSigner(byte[] key)
{
    private readonly byte[] _key = key.Length > 0 ? (byte[])key.Clone() : throw new ArgumentException("The signing key must not be empty.", nameof(key));

    public string Sign(ReadOnlySpan<byte> header, ReadOnlySpan<byte> parentHeader, ReadOnlySpan<byte> metadata, ReadOnlySpan<byte> content) =>
        Convert.ToHexStringLower(Digest(header, parentHeader, metadata, content));

    public bool Verify(string signature, ReadOnlySpan<byte> header, ReadOnlySpan<byte> parentHeader, ReadOnlySpan<byte> metadata, ReadOnlySpan<byte> content)
    {
        var expected = Digest(header, parentHeader, metadata, content);
        // Decoding the hex first lets one fixed-time comparison cover upper- and lower-case senders alike.
        byte[] given;
        try { given = Convert.FromHexString(signature); }
        catch (FormatException) { return false; }
        return CryptographicOperations.FixedTimeEquals(expected, given);
    }

    private byte[] Digest(ReadOnlySpan<byte> header, ReadOnlySpan<byte> parentHeader, ReadOnlySpan<byte> metadata, ReadOnlySpan<byte> content)
    {
        // One IncrementalHash per call: HMAC objects are not thread-safe and every kernel thread signs.
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, _key);
        hmac.AppendData(header);
        hmac.AppendData(parentHeader);
        hmac.AppendData(metadata);
        hmac.AppendData(content);
        return hmac.GetHashAndReset();
    }
}
