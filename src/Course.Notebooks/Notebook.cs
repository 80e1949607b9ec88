using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Course.Notebooks;

/// <summary>
/// An nbformat 4 notebook held as its JSON tree, so metadata this code does not know (widgets, Jupyter or
/// Polyglot settings) survives a load and save untouched.
/// </summary>
public sealed partial class Notebook
{
    private readonly JsonObject _root;

    internal Notebook(JsonObject root)
    {
        _root = root;
        if (_root["cells"] is not JsonArray)
            _root["cells"] = new JsonArray();
        Cells = _root["cells"]!.AsArray().Select(n => new NotebookCell(n!.AsObject())).ToList();
    }

    /// <summary>The cells in order; change the list (insert, remove) and <see cref="Save"/> writes it back.</summary>
    public List<NotebookCell> Cells { get; }

    public JsonObject Metadata => _root["metadata"] as JsonObject ?? (JsonObject)(_root["metadata"] = new JsonObject());

    public static Notebook Load(string path)
    {
        if (!File.Exists(path))
            throw new NotebookException(Directory.Exists(path) ? $"'{path}' is a folder, not a notebook. Give the .ipynb files in it." : $"Notebook '{path}' does not exist. Check the path (it is relative to {Environment.CurrentDirectory}).");
        return Parse(File.ReadAllText(path), path);
    }

    public static Notebook Parse(string json, string name = "notebook")
    {
        JsonNode? root;
        try { root = JsonNode.Parse(json); }
        catch (JsonException e) { throw new NotebookException($"{name} is not valid JSON ({e.Message}); an .ipynb file is a JSON document."); }
        if (root is not JsonObject obj || obj["cells"] is not JsonArray)
            throw new NotebookException($"{name} is not an nbformat 4 notebook: it has no 'cells' array.");
        var major = obj["nbformat"] is JsonValue version && version.TryGetValue<int>(out var number) ? number : 0;
        if (major != 4)
            throw new NotebookException($"{name} has nbformat {major}; only nbformat 4 is supported. Open and save it in Jupyter to upgrade it.");
        foreach (var (cell, index) in obj["cells"]!.AsArray().Select((c, i) => (c, i)))
            if (cell is not JsonObject fields || !IsText(fields["source"]) || fields["cell_type"] is JsonValue type && !type.TryGetValue<string>(out _))
                throw new NotebookException($"{name}: cell {index + 1} is not a valid nbformat cell (it must be an object whose 'cell_type' is a string and whose 'source' is a string or a list of strings). Fix the cell in a text editor or Jupyter.");
        return new Notebook(obj);
    }

    private static bool IsText(JsonNode? source) => source switch
    {
        null => true,
        JsonValue value => value.TryGetValue<string>(out _),
        JsonArray lines => lines.All(l => l is JsonValue line && line.TryGetValue<string>(out _)),
        _ => false,
    };

    public string ToJson()
    {
        if (_root["nbformat_minor"]?.GetValue<int>() >= 5) GiveCellsUniqueIds();
        _root["cells"] = new JsonArray(Cells.Select(c => (JsonNode)c.Json.DeepClone()).ToArray());
        return NotebookJsonWriter.Write(_root);
    }

    /// <summary>nbformat 4.5 wants a unique id on every cell; a cell added or copied by hand may lack one or repeat
    /// another's. Ids that are already unique are kept, so a notebook's ids stay stable from run to run.</summary>
    private void GiveCellsUniqueIds()
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int index = 0; index < Cells.Count; index++)
        {
            var json = Cells[index].Json;
            var id = json["id"] is JsonValue value && value.TryGetValue<string>(out var text) && CellId().IsMatch(text) ? text : null;
            if (id is null || !seen.Add(id))
            {
                int suffix = index + 1;
                while (!seen.Add(id = $"cell-{suffix}")) suffix += Cells.Count;
                json["id"] = id;
            }
        }
    }

    [GeneratedRegex("^[a-zA-Z0-9-_]{1,64}$")]
    private static partial Regex CellId();

    /// <summary>Writes through a temporary file so a killed run never leaves half a notebook behind.</summary>
    public void Save(string path)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(directory);
        var temporary = Path.Combine(directory, $".{Path.GetFileName(path)}.{Environment.ProcessId}.tmp");
        File.WriteAllText(temporary, ToJson());
        File.Move(temporary, path, overwrite: true);
    }
}
