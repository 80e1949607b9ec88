namespace Course.Notebooks.Kernel;

/// <summary>
/// Jupyter counts cursor positions in Unicode code points (protocol 5.2+); .NET strings and ICodeSession count
/// UTF-16 units. They differ after any character outside the Basic Multilingual Plane (an emoji is 1 vs 2).
/// </summary>
public static class CodePoints
{
    /// <summary>The UTF-16 offset of code point <paramref name="codePoints"/>, clamped to the text.</summary>
    public static int ToUtf16(string text, int codePoints)
    {
        int offset = 0;
        for (int seen = 0; seen < codePoints && offset < text.Length; seen++)
            offset += char.IsSurrogatePair(text, offset) ? 2 : 1;
        return offset;
    }

    /// <summary>The number of code points before UTF-16 offset <paramref name="utf16"/>, clamped to the text.</summary>
    public static int FromUtf16(string text, int utf16)
    {
        utf16 = Math.Clamp(utf16, 0, text.Length);
        int count = 0;
        for (int offset = 0; offset < utf16; count++)
            offset += char.IsSurrogatePair(text, offset) ? 2 : 1; // an offset inside a pair counts the pair
        return count;
    }
}
