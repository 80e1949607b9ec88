namespace Course.Notebooks;

/// <summary>Markup a notebook wants shown as HTML: <c>display(html("&lt;b&gt;hi&lt;/b&gt;"))</c>.</summary>
public sealed record HtmlContent(string Markup)
{
    public override string ToString() => Markup;
}
