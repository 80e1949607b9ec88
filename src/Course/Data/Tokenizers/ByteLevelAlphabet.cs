namespace Course.Data;

/// <summary>
/// GPT-2's byte-to-character table (bytes_to_unicode): each of the 256 byte values gets one printable character,
/// so byte-level tokens can be written in vocab.json and merges.txt as ordinary strings. Printable Latin-1 bytes
/// stand for themselves; the others (controls, space, DEL, NBSP, soft hyphen) are shifted to U+0100 and up, in byte
/// order, which is why a space shows as 'Ġ' (U+0120) and a newline as 'Ċ' (U+010A).
/// </summary>
public static class ByteLevelAlphabet
{
    private static readonly char[] ByteToChar = Build();

    public static char ToChar(byte b) => ByteToChar[b];

    public static string ToString(ReadOnlySpan<byte> bytes)
    {
        var chars = new char[bytes.Length];
        for (var i = 0; i < bytes.Length; i++) chars[i] = ByteToChar[bytes[i]];
        return new string(chars);
    }

    private static char[] Build()
    {
        var table = new char[256];
        var next = 256;
        for (var b = 0; b < 256; b++)
        {
            var printable = b is >= '!' and <= '~' or >= 0xA1 and <= 0xAC or >= 0xAE and <= 0xFF;
            table[b] = printable ? (char)b : (char)next++;
        }
        return table;
    }
}
