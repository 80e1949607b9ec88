using Microsoft.AspNetCore.Html;
using Microsoft.DotNet.Interactive.Formatting;

namespace Course.Notebooks;

/// <summary>
/// Members every cell can call without qualification, the same as .NET Interactive's C# kernel gives its cells
/// (<c>using static Microsoft.DotNet.Interactive.Kernel</c>), so a notebook runs unchanged in both.
/// </summary>
public sealed class NotebookGlobals
{
    private readonly Action<DisplayedValue> _show;

    internal NotebookGlobals(Action<DisplayedValue> show) => _show = show;

    /// <summary>Shows a value in the cell's outputs through Microsoft.DotNet.Interactive.Formatting, in the MIME types
    /// its formatters prefer (or those given). The returned value's <c>Update</c> replaces the output in place.</summary>
    public DisplayedValue display(object value, params string[] mimeTypes)
    {
        // Shown here rather than through value.Display(): that raises one DisplayedValue and returns another, whose
        // Update then names an output that was never shown.
        var shown = new DisplayedValue(value, FormattedValue.CreateManyFromObject(value, mimeTypes));
        _show(shown);
        return shown;
    }

    /// <summary>Markup to be shown as HTML: <c>display(HTML("&lt;b&gt;hi&lt;/b&gt;"))</c>.</summary>
    public IHtmlContent HTML(string content) => content.ToHtmlContent();
}
