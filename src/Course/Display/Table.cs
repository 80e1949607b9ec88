using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.DotNet.Interactive.Formatting;

namespace Course.Display;

/// <summary>
/// A small table for notebooks: shown as HTML where HTML renders and as aligned text elsewhere (a terminal, an
/// exported app), in every engine that formats with Microsoft.DotNet.Interactive.Formatting.
/// <code>
/// display(new Table("quantity", "value").Row("z1", 1.2).Row("loss", 0.466573));
/// </code>
/// Numbers are written with the invariant culture; format them yourself (<c>$"{x:F6}"</c>) to choose the digits.
/// </summary>
[TypeFormatterSource(typeof(TableFormatters), PreferredMimeTypes = [HtmlFormatter.MimeType, PlainTextFormatter.MimeType])]
public sealed class Table
{
    private readonly string[] _columns;
    private readonly List<string[]> _rows = [];

    public Table(params string[] columns)
    {
        if (columns.Length == 0) throw new ArgumentException("A table needs at least one column name: new Table(\"name\", \"value\").", nameof(columns));
        _columns = columns;
    }

    public IReadOnlyList<string> Columns => _columns;

    public IReadOnlyList<IReadOnlyList<string>> Rows => _rows;

    /// <summary>Adds a row with one value per column.</summary>
    public Table Row(params object?[] cells)
    {
        if (cells.Length != _columns.Length)
            throw new ArgumentException($"This table has {_columns.Length} columns ({string.Join(", ", _columns)}), but the row has {cells.Length} values.", nameof(cells));
        _rows.Add(cells.Select(Text).ToArray());
        return this;
    }

    public string ToHtml()
    {
        var html = new StringBuilder("<table><thead><tr>");
        foreach (var column in _columns) html.Append("<th>").Append(WebUtility.HtmlEncode(column)).Append("</th>");
        html.Append("</tr></thead><tbody>");
        foreach (var row in _rows)
        {
            html.Append("<tr>");
            foreach (var cell in row) html.Append("<td>").Append(WebUtility.HtmlEncode(cell)).Append("</td>");
            html.Append("</tr>");
        }
        return html.Append("</tbody></table>").ToString();
    }

    /// <summary>The table as columns of text padded to a common width.</summary>
    public override string ToString()
    {
        var widths = _columns.Select((c, i) => _rows.Select(r => r[i].Length).Append(c.Length).Max()).ToArray();
        string Line(IReadOnlyList<string> cells) => string.Join("  ", cells.Select((c, i) => c.PadRight(widths[i]))).TrimEnd();
        var lines = new List<string> { Line(_columns), string.Join("  ", widths.Select(w => new string('-', w))) };
        lines.AddRange(_rows.Select(Line));
        return string.Join('\n', lines);
    }

    private static string Text(object? value) => value switch
    {
        null => "",
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    private sealed class TableFormatters : ITypeFormatterSource
    {
        public IEnumerable<ITypeFormatter> CreateTypeFormatters() =>
        [
            new DelegateFormatter<Table>(HtmlFormatter.MimeType, table => table.ToHtml()),
            new DelegateFormatter<Table>(PlainTextFormatter.MimeType, table => table.ToString()),
        ];
    }
}
