namespace Course.Notebooks.Engine;

/// <summary>
/// The C# text of a code cell after its cell magic: Polyglot Notebooks marks a cell's kernel with a first line
/// such as <c>#!csharp</c>. Only C# runs here, so other kernels' magics are refused rather than misread as C#.
/// </summary>
internal static class CellSource
{
    private static readonly string[] CSharpMagics = ["#!csharp", "#!c#", "#!C#"];

    /// <summary>Returns the code with a leading <c>#!csharp</c> line blanked (not removed, so line numbers in
    /// errors still match the cell), or throws naming the foreign magic.</summary>
    public static string ToCSharp(string source, string where)
    {
        var firstLineEnd = source.IndexOf('\n');
        var firstLine = (firstLineEnd < 0 ? source : source[..firstLineEnd]).Trim();
        if (!firstLine.StartsWith("#!")) return source;
        var magic = firstLine.Split(' ', 2)[0];
        if (CSharpMagics.Contains(magic))
            return firstLineEnd < 0 ? "" : source[firstLineEnd..];
        throw new NotebookException(
            $"{where} starts with the magic command '{magic}' (another kernel, such as #!fsharp or #!pwsh, or a Polyglot " +
            "Notebooks magic). This runner executes C# only: rewrite the cell in C# or remove it; a leading '#!csharp' is accepted.");
    }
}
