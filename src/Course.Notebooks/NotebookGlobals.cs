namespace Course.Notebooks;

/// <summary>
/// Members every cell can call without qualification, as in Polyglot Notebooks. Lower-case names on purpose:
/// they match .NET Interactive's <c>display</c>, so notebooks run the same in both.
/// </summary>
public sealed class NotebookGlobals
{
    private readonly Action<object?> _display;

    internal NotebookGlobals(Action<object?> display) => _display = display;

    /// <summary>Shows a value in the cell's outputs (tensors as text with shape and dtype, Plotly charts as
    /// interactive figures, <see cref="HtmlContent"/> as HTML, anything else as text).</summary>
    public void display(object? value) => _display(value);

    /// <summary>Wraps markup so <see cref="display"/> shows it as HTML.</summary>
    public HtmlContent html(string markup) => new(markup);
}
