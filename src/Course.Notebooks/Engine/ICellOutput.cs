using System.Text.Json.Nodes;

namespace Course.Notebooks.Engine;

/// <summary>
/// Where a running cell's output goes as it happens: the headless runner's worker channel, or the Jupyter kernel's
/// IOPub and stdin sockets. Called from the cell's thread and from threads the cell started.
/// </summary>
public interface ICellOutput
{
    /// <summary>Text the cell printed, on "stdout" or "stderr".</summary>
    void Stream(string name, string text);

    /// <summary>A MIME bundle the cell displayed (nbformat's display_data). With <paramref name="update"/> it replaces
    /// the earlier output that has the same <paramref name="displayId"/> (update_display_data).</summary>
    void Display(JsonObject data, JsonObject metadata, string? displayId, bool update);

    /// <summary>A line of input for <c>Console.ReadLine</c>; null when the front end cannot be asked (no stdin),
    /// which the cell sees as the end of input.</summary>
    string? ReadLine(string prompt, bool password);
}
