using System.Text.Json.Nodes;

namespace Course.Notebooks.Tests;

/// <summary>Reads an executed notebook's outputs back the way a reader of the .ipynb would.</summary>
internal static class Outputs
{
    public static List<JsonObject> Of(Notebook notebook, int cellNumber) =>
        notebook.Cells[cellNumber - 1].Outputs.Select(o => o!.AsObject()).ToList();

    public static string Text(JsonObject output, string key = "text") =>
        output[key] is JsonArray lines ? string.Concat(lines.Select(l => l!.GetValue<string>())) : output[key]!.GetValue<string>();

    public static string Stream(Notebook notebook, int cellNumber, string name) =>
        string.Concat(Of(notebook, cellNumber).Where(o => Kind(o) == "stream" && o["name"]!.GetValue<string>() == name).Select(o => Text(o)));

    public static string Kind(JsonObject output) => output["output_type"]!.GetValue<string>();
}
