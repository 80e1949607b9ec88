using System.Text.Json.Nodes;

namespace Course.Notebooks;

/// <summary>
/// How the course's C# kernel names itself: in its kernelspec (<c>course kernel install</c>), in kernel_info, and
/// in the metadata of the notebooks this project writes, so Jupyter and VS Code pick the kernel a chapter was made for.
/// </summary>
public static class KernelIdentity
{
    public const string DefaultName = "course-csharp";
    public const string DisplayName = "C# (course)";
    public const string Language = "csharp";

    /// <summary>nbformat's language_info (also kernel_info's): what editors use to highlight and save the code.</summary>
    public static JsonObject LanguageInfo() => new()
    {
        ["name"] = Language,
        ["version"] = "14.0",
        ["mimetype"] = "text/x-csharp",
        ["file_extension"] = ".cs",
        ["pygments_lexer"] = "csharp",
        ["codemirror_mode"] = "text/x-csharp",
    };
}
