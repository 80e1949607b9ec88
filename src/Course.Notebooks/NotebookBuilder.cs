using System.Text.Json.Nodes;

namespace Course.Notebooks;

/// <summary>
/// Creates nbformat 4.5 notebooks that open in Jupyter (with the course's C# kernel), VS Code and Polyglot
/// Notebooks alike, and that this runner executes: the kernelspec of <c>course kernel install</c>, C#'s
/// language_info, and the per-cell kernel metadata Polyglot Notebooks reads.
/// <code>
/// new NotebookBuilder()
///     .Markdown("# Attention")
///     .Code("int Steps = 200;", "parameters")
///     .Code("display(Steps);")
///     .Save("notebooks/01-attention.ipynb");
/// </code>
/// </summary>
public sealed class NotebookBuilder
{
    private readonly List<JsonObject> _cells = [];

    public NotebookBuilder Markdown(string text)
    {
        _cells.Add(new JsonObject
        {
            ["cell_type"] = "markdown",
            ["metadata"] = new JsonObject(),
            ["source"] = NbJson.Lines(text),
        });
        return this;
    }

    /// <param name="code">C# source of the cell.</param>
    /// <param name="tags">Cell tags, e.g. "parameters" for the cell the runner's -p options override.</param>
    public NotebookBuilder Code(string code, params string[] tags)
    {
        _cells.Add(CodeCell(code, tags));
        return this;
    }

    public Notebook Build()
    {
        var root = new JsonObject
        {
            ["cells"] = new JsonArray(_cells.Select(c => (JsonNode)c.DeepClone()).ToArray()),
            ["metadata"] = new JsonObject
            {
                ["kernelspec"] = new JsonObject
                {
                    ["display_name"] = KernelIdentity.DisplayName,
                    ["language"] = KernelIdentity.Language,
                    ["name"] = KernelIdentity.DefaultName,
                },
                ["language_info"] = KernelIdentity.LanguageInfo(),
                ["polyglot_notebook"] = new JsonObject
                {
                    ["kernelInfo"] = new JsonObject
                    {
                        ["defaultKernelName"] = "csharp",
                        ["items"] = new JsonArray(new JsonObject { ["aliases"] = new JsonArray(), ["name"] = "csharp" }),
                    },
                },
            },
            ["nbformat"] = 4,
            // 4.5: cells have ids (Notebook.Save gives every cell a unique one).
            ["nbformat_minor"] = 5,
        };
        return new Notebook(root);
    }

    public Notebook Save(string path)
    {
        var notebook = Build();
        notebook.Save(path);
        return notebook;
    }

    /// <summary>A C# code cell with the metadata both Polyglot Notebooks and the older .NET Interactive read.</summary>
    internal static JsonObject CodeCell(string code, IEnumerable<string> tags)
    {
        var metadata = new JsonObject
        {
            ["dotnet_interactive"] = new JsonObject { ["language"] = "csharp" },
            ["polyglot_notebook"] = new JsonObject { ["kernelName"] = "csharp" },
        };
        var tagList = tags.ToList();
        if (tagList.Count > 0) metadata["tags"] = NbJson.Strings(tagList);
        return new JsonObject
        {
            ["cell_type"] = "code",
            ["execution_count"] = null,
            ["metadata"] = metadata,
            ["outputs"] = new JsonArray(),
            ["source"] = NbJson.Lines(code),
        };
    }
}
