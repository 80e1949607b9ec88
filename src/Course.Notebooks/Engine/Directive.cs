using System.Text.RegularExpressions;

namespace Course.Notebooks.Engine;

/// <summary>A <c>#r</c> or <c>#load</c> line of a cell, as Polyglot Notebooks writes them.</summary>
internal abstract partial record Directive(int Line)
{
    /// <summary><c>#r "nuget: Name, Version"</c> (the version may be left out).</summary>
    public sealed record NuGet(int Line, string Name, string? Version) : Directive(Line);

    /// <summary><c>#r "path/to/Assembly.dll"</c>.</summary>
    public sealed record Reference(int Line, string Path) : Directive(Line);

    /// <summary><c>#load "file.csx"</c>.</summary>
    public sealed record Load(int Line, string Path) : Directive(Line);

    [GeneratedRegex("""^\s*#(?<kind>r|load)\s+"(?<arg>[^"]*)"\s*$""")]
    private static partial Regex DirectivePattern();

    [GeneratedRegex("""^nuget:\s*(?<name>[^,\s]+)\s*(,\s*(?<version>\S+))?\s*$""", RegexOptions.IgnoreCase)]
    private static partial Regex NuGetPattern();

    /// <summary>The directives of <paramref name="code"/>, with 1-based line numbers.</summary>
    public static IEnumerable<Directive> Find(string code)
    {
        var lines = code.Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            var match = DirectivePattern().Match(lines[i].TrimEnd('\r'));
            if (!match.Success) continue;
            var argument = match.Groups["arg"].Value;
            if (match.Groups["kind"].Value == "load")
                yield return new Load(i + 1, argument);
            else if (NuGetPattern().Match(argument) is { Success: true } nuget)
                yield return new NuGet(i + 1, nuget.Groups["name"].Value,
                    nuget.Groups["version"].Success ? nuget.Groups["version"].Value : null);
            else if (argument.StartsWith("nuget:", StringComparison.OrdinalIgnoreCase))
                throw new NotebookException($"line {i + 1}: '#r \"{argument}\"' is not a valid NuGet reference; write #r \"nuget: Name, Version\".");
            else
                yield return new Reference(i + 1, argument);
        }
    }

    /// <summary><paramref name="code"/> with the given directive lines emptied, so other lines keep their numbers.</summary>
    public static string Blank(string code, IEnumerable<Directive> directives)
    {
        var lines = code.Split('\n');
        foreach (var directive in directives)
            lines[directive.Line - 1] = lines[directive.Line - 1].EndsWith('\r') ? "\r" : "";
        return string.Join('\n', lines);
    }
}
