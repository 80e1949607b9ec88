using System.Text.Json.Nodes;

namespace Course.Notebooks;

/// <summary>
/// Creates notebooks that open in Polyglot Notebooks, .NET Interactive and Jupyter alike and that this runner
/// executes: the .NET (C#) kernelspec, the polyglot-notebook language_info and per-cell kernel metadata.
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
                    ["display_name"] = ".NET (C#)",
                    ["language"] = "C#",
                    ["name"] = ".net-csharp",
                },
                ["language_info"] = new JsonObject { ["name"] = "polyglot-notebook" },
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
            // 4.4 rather than 4.5: 4.5 requires a unique id on every cell, which hand-edited notebooks easily break.
            ["nbformat_minor"] = 4,
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
