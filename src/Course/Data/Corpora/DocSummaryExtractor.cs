using System.Text;
using System.Xml;

namespace Course.Data;

/// <summary>
/// Turns .NET XML documentation files into plain English text: the &lt;summary&gt; of every member, one per line.
/// </summary>
/// <remarks>
/// Only summaries are kept. In the SDK's files they are 4.7 MB of varied prose; &lt;param&gt; (2.7 MB),
/// &lt;returns&gt; (1.8 MB) and &lt;exception&gt; (1.5 MB) are mostly templates ("true if ...; otherwise, false") that
/// would teach a small model to repeat them, and &lt;remarks&gt; is nearly empty in these files (14 kB).
/// One summary per line gives a char-level model a clear boundary it learns to produce (a newline ends a
/// thought), keeps lines short (~80 characters) relative to a context window, and lets samples be read line by line.
/// Duplicate summaries ("Initializes a new instance of the X class.") are kept: they are the real distribution.
/// </remarks>
public static class DocSummaryExtractor
{
    /// <summary>Changes whenever the rendering changes, so cached text made by an older rendering is not reused.</summary>
    public const int RenderingVersion = 1;

    private static readonly XmlReaderSettings Settings = new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
        XmlResolver = null,
    };

    /// <summary>The summaries of all files, files in the given order and members in document order, each line ending in '\n'.</summary>
    public static string Extract(IReadOnlyList<string> xmlFiles)
    {
        // Files are independent, so they are rendered in parallel and joined in the given order: the result does not
        // depend on scheduling.
        var perFile = new string[xmlFiles.Count];
        Parallel.For(0, xmlFiles.Count, i =>
        {
            using var reader = XmlReader.Create(xmlFiles[i], Settings);
            perFile[i] = ExtractFrom(reader, xmlFiles[i]);
        });
        return string.Concat(perFile);
    }

    /// <summary>The summaries of one documentation file; <paramref name="sourceName"/> is used in error messages.</summary>
    public static string ExtractFrom(XmlReader reader, string sourceName)
    {
        var text = new StringBuilder();
        foreach (var (_, summary) in MemberSummaries(reader, sourceName)) text.Append(summary).Append('\n');
        return text.ToString();
    }

    /// <summary>(documentation id, rendered summary) of every member of all files, files in the given order and
    /// members in document order; the text is what <see cref="Extract"/> writes for that member.</summary>
    public static IReadOnlyList<(string Id, string Summary)> MemberSummaries(IReadOnlyList<string> xmlFiles)
    {
        var perFile = new IReadOnlyList<(string, string)>[xmlFiles.Count];
        Parallel.For(0, xmlFiles.Count, i =>
        {
            using var reader = XmlReader.Create(xmlFiles[i], Settings);
            perFile[i] = MemberSummaries(reader, xmlFiles[i]);
        });
        return perFile.SelectMany(f => f).ToList();
    }

    /// <summary>(documentation id, rendered summary) of each member of one file that has a non-empty summary; the id is
    /// the member's name attribute ("M:System.String.Split(System.Char[])").</summary>
    public static IReadOnlyList<(string Id, string Summary)> MemberSummaries(XmlReader reader, string sourceName)
    {
        var members = new List<(string, string)>();
        var summary = new StringBuilder();
        var member = "";
        try
        {
            while (reader.Read())
            {
                if (reader.NodeType != XmlNodeType.Element) continue;
                // <doc><members><member name="..."> sits at depth 2, its <summary> at depth 3.
                if (reader.LocalName == "member" && reader.Depth == 2) member = reader.GetAttribute("name") ?? "";
                if (reader.LocalName != "summary" || reader.Depth != 3) continue;
                summary.Clear();
                AppendElement(reader, summary);
                var line = NormalizeWhitespace(summary);
                if (line.Length > 0) members.Add((member, line));
            }
        }
        catch (XmlException e)
        {
            throw new CorpusException($"{sourceName} is not well-formed XML ({e.Message}). Reinstall the .NET SDK, or use --corpus FILE.", e);
        }
        return members;
    }

    /// <summary>Appends the text of the element the reader is on, leaving the reader on its end.</summary>
    private static void AppendElement(XmlReader reader, StringBuilder text)
    {
        var name = reader.LocalName;
        var standIn = StandIn(reader);
        // Block elements (<para>, list parts, <br/>) separate words; inline ones (<c>, <see>) flow with the sentence.
        var block = name is "para" or "p" or "br" or "list" or "listheader" or "item" or "term" or "description" or "li" or "ul" or "ol";
        if (block) text.Append(' ');
        var start = text.Length;
        if (!reader.IsEmptyElement)
        {
            var depth = reader.Depth;
            while (reader.Read() && !(reader.NodeType == XmlNodeType.EndElement && reader.Depth == depth))
            {
                if (reader.NodeType == XmlNodeType.Element) AppendElement(reader, text);
                else if (reader.NodeType is XmlNodeType.Text or XmlNodeType.CDATA or XmlNodeType.Whitespace or XmlNodeType.SignificantWhitespace)
                    text.Append(reader.Value);
            }
        }
        // <see cref="...">words</see> shows its words; an empty one shows the stand-in.
        if (standIn is not null && IsBlank(text, start)) text.Append(standIn);
        if (block) text.Append(' ');
    }

    /// <summary>What an element without its own text reads as: a keyword, a parameter name, or a type or member name.</summary>
    private static string? StandIn(XmlReader reader) => reader.LocalName switch
    {
        "see" or "seealso" => reader.GetAttribute("langword")
            ?? (reader.GetAttribute("cref") is { } cref ? ShortName(cref) : null)
            ?? reader.GetAttribute("href"),
        "xref" => reader.GetAttribute("uid") is { } uid ? ShortName(uid) : null,
        "paramref" or "typeparamref" => reader.GetAttribute("name"),
        _ => null,
    };

    /// <summary>
    /// The short name of a documentation id, as the rendered docs show it in prose: "T:System.String" → "String",
    /// "M:System.String.Split(System.Char[])" → "Split", "T:System.Collections.Generic.List`1" → "List",
    /// "M:System.Text.StringBuilder.#ctor" → "StringBuilder", "Overload:System.Math.Abs" → "Abs".
    /// </summary>
    public static string ShortName(string documentationId)
    {
        var id = documentationId;
        var colon = id.IndexOf(':');
        // The kind prefix: T, M, P, F, E, N, "Overload", or "!" for an id the compiler could not resolve.
        if (colon >= 0 && id[..colon].All(c => char.IsAsciiLetter(c) || c == '!')) id = id[(colon + 1)..];
        var paren = id.IndexOf('(');
        if (paren >= 0) id = id[..paren];
        var segments = id.Split('.');
        var last = segments.Length - 1;
        // A constructor is named after its type.
        if (segments[last] is "#ctor" or "#cctor" && last > 0) last--;
        var name = segments[last];
        // Explicit interface implementations read System#IDisposable#Dispose; the member is the last part.
        var hash = name.LastIndexOf('#');
        if (hash >= 0 && hash < name.Length - 1) name = name[(hash + 1)..];
        var tick = name.IndexOf('`');
        return tick > 0 ? name[..tick] : name;
    }

    private static bool IsBlank(StringBuilder text, int start)
    {
        for (var i = start; i < text.Length; i++)
            if (!char.IsWhiteSpace(text[i])) return false;
        return true;
    }

    /// <summary>Every run of whitespace (the XML's indentation and line breaks included) becomes one space; no space at the ends.</summary>
    private static string NormalizeWhitespace(StringBuilder text)
    {
        var result = new StringBuilder(text.Length);
        var pendingSpace = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c)) { pendingSpace = result.Length > 0; continue; }
            if (pendingSpace) result.Append(' ');
            pendingSpace = false;
            result.Append(c);
        }
        return result.ToString();
    }
}
