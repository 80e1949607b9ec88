using System.Collections.Concurrent;
using System.Text;
using System.Xml.Linq;
using Microsoft.CodeAnalysis;

namespace Course.Notebooks.Engine;

/// <summary>XML documentation for the assemblies cells reference, and a symbol's documentation as plain text.</summary>
internal static class Documentation
{
    private static readonly ConcurrentDictionary<string, MetadataReference> Cache = new(StringComparer.Ordinal);

    /// <summary>
    /// The references with XML documentation attached. The framework's implementation assemblies (what cells run
    /// against) carry none, so they are swapped for the SDK's reference pack, which documents the same API; other
    /// assemblies get the .xml found beside them (the course library, packages copied with their docs).
    /// </summary>
    public static IEnumerable<MetadataReference> Documented(IEnumerable<MetadataReference> references)
    {
        var frameworkDirectory = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        var all = references.ToList();
        if (FrameworkReferencePack is not { } pack) return all.Select(WithXmlBeside);
        bool IsFramework(MetadataReference r) => r is PortableExecutableReference { FilePath: { } path } && Path.GetDirectoryName(path) == frameworkDirectory;
        return all.Where(r => !IsFramework(r)).Select(WithXmlBeside)
            .Concat(Directory.EnumerateFiles(pack, "*.dll").Select(dll => Cache.GetOrAdd(dll, Documented)));
    }

    private static MetadataReference WithXmlBeside(MetadataReference reference) =>
        reference is PortableExecutableReference { FilePath: { } path } ? Cache.GetOrAdd(path, p => File.Exists(Path.ChangeExtension(p, ".xml")) ? Documented(p) : reference) : reference;

    private static MetadataReference Documented(string assembly)
    {
        var xml = Path.ChangeExtension(assembly, ".xml");
        return MetadataReference.CreateFromFile(assembly, documentation: File.Exists(xml) ? XmlDocumentationProvider.CreateFromFile(xml) : null);
    }

    /// <summary>packs/Microsoft.NETCore.App.Ref/VERSION/ref/netX.Y beside the running shared framework, where the SDK
    /// keeps the framework's documentation (the runtime's own folder has none).</summary>
    private static readonly string? FrameworkReferencePack = FindReferencePack();

    private static string? FindReferencePack()
    {
        var runtime = new DirectoryInfo(Path.GetDirectoryName(typeof(object).Assembly.Location)!); // shared/Microsoft.NETCore.App/10.0.x
        var packs = Path.Combine(runtime.Parent?.Parent?.Parent?.FullName ?? "", "packs", "Microsoft.NETCore.App.Ref");
        if (!Directory.Exists(packs)) return null;
        var tfm = $"net{Environment.Version.Major}.{Environment.Version.Minor}";
        return Directory.GetDirectories(packs)
            .Select(d => Path.Combine(d, "ref", tfm))
            .Where(Directory.Exists)
            .OrderByDescending(d => Version.TryParse(Path.GetFileName(Path.GetDirectoryName(Path.GetDirectoryName(d))), out var v) ? v : new Version())
            .FirstOrDefault();
    }

    /// <summary>The summary (and, in detail, parameters, return value and remarks) of a symbol's XML documentation.</summary>
    public static string Describe(ISymbol symbol, bool detail)
    {
        var xml = symbol.GetDocumentationCommentXml(expandIncludes: true);
        if (string.IsNullOrWhiteSpace(xml)) return "";
        XElement root;
        try { root = XElement.Parse(xml); }
        catch (System.Xml.XmlException) { return ""; }
        var text = new StringBuilder(Text(root.Element("summary")));
        if (!detail) return text.ToString();
        foreach (var parameter in root.Elements("param"))
            text.Append($"\n{parameter.Attribute("name")?.Value}: {Text(parameter)}");
        if (root.Element("returns") is { } returns) text.Append($"\nReturns: {Text(returns)}");
        if (root.Element("remarks") is { } remarks) text.Append($"\n\n{Text(remarks)}");
        return text.ToString();
    }

    /// <summary>An element's text with references written as the names they refer to (<c>T:System.String</c> → String).</summary>
    private static string Text(XElement? element)
    {
        if (element is null) return "";
        var text = new StringBuilder();
        foreach (var node in element.Nodes())
            text.Append(node switch
            {
                XText t => t.Value,
                XElement { Name.LocalName: "see" or "seealso" } see => see.Attribute("cref") is { } cref ? ShortName(cref.Value)
                    : see.Attribute("langword")?.Value ?? see.Value,
                XElement { Name.LocalName: "paramref" or "typeparamref" } reference => reference.Attribute("name")?.Value ?? "",
                XElement nested => Text(nested),
                _ => "",
            });
        return string.Join(' ', text.ToString().Split((char[])[' ', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries));
    }

    private static string ShortName(string cref)
    {
        var name = cref.Contains(':') ? cref[(cref.IndexOf(':') + 1)..] : cref;
        var parenthesis = name.IndexOf('(');
        if (parenthesis >= 0) name = name[..parenthesis];
        name = name[(name.LastIndexOf('.') + 1)..];
        var arity = name.IndexOf('`'); // generic arity, as in Select``2
        return arity >= 0 ? name[..arity] : name;
    }
}
