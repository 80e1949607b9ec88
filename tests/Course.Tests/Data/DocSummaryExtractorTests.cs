using System.Xml;
using Course.Data;

namespace Course.Tests.Data;

public class DocSummaryExtractorTests
{
    private const string Doc = """
        <?xml version="1.0" encoding="utf-8"?>
        <doc>
          <assembly><name>Sample</name></assembly>
          <members>
            <member name="T:Sample.Widget">
              <summary>Represents a   widget
                that holds a <see cref="T:System.String" />.</summary>
              <remarks>Remarks are not part of the corpus.</remarks>
            </member>
            <member name="M:Sample.Widget.#ctor(System.Int32)">
              <summary>Initializes a new <see cref="M:Sample.Widget.#ctor(System.Int32)" /> of size <paramref name="size" /> for <typeparamref name="T" />.</summary>
              <param name="size">Not part of the corpus either.</param>
            </member>
            <member name="M:Sample.Widget.Find``1(System.Collections.Generic.List{``0})">
              <summary>Returns <see langword="null" /> when <c>list</c> is empty; see <see cref="T:System.Collections.Generic.List`1" /> and <see cref="M:System.String.Split(System.Char[])">String.Split</see>.</summary>
            </member>
            <member name="P:Sample.Widget.Empty">
              <summary>
              </summary>
            </member>
            <member name="M:Sample.Widget.System#IDisposable#Dispose">
              <summary>
                <para>First paragraph.</para><para>Second &amp; last, via <xref uid="System.IDisposable" data-throw-if-not-resolved="true" />.</para>
              </summary>
            </member>
          </members>
        </doc>
        """;

    [Fact]
    public void Extracts_summaries_in_document_order_one_per_line_with_references_rendered_as_short_names()
    {
        using var reader = XmlReader.Create(new StringReader(Doc.Trim()));
        var text = DocSummaryExtractor.ExtractFrom(reader, "sample.xml");
        Assert.Equal(
            "Represents a widget that holds a String.\n" +
            "Initializes a new Widget of size size for T.\n" +
            "Returns null when list is empty; see List and String.Split.\n" +
            "First paragraph. Second & last, via IDisposable.\n",
            text);
    }

    [Theory]
    [InlineData("T:System.String", "String")]
    [InlineData("M:System.String.Split(System.Char[])", "Split")]
    [InlineData("T:System.Collections.Generic.Dictionary`2", "Dictionary")]
    [InlineData("M:System.Linq.Enumerable.Select``2(System.Collections.Generic.IEnumerable{``0},System.Func{``0,``1})", "Select")]
    [InlineData("M:System.Text.StringBuilder.#ctor", "StringBuilder")]
    [InlineData("M:System.Collections.Generic.List`1.#ctor(System.Int32)", "List")]
    [InlineData("Overload:System.Math.Abs", "Abs")]
    [InlineData("M:Sample.Widget.System#IDisposable#Dispose", "Dispose")]
    [InlineData("System.Diagnostics.Activity", "Activity")]
    public void Short_name_is_what_the_rendered_docs_show(string id, string expected) =>
        Assert.Equal(expected, DocSummaryExtractor.ShortName(id));

    [Fact]
    public void Files_are_joined_in_the_given_order()
    {
        using var dir = new TempDirectory();
        string Write(string name, string summary)
        {
            var path = dir.File(name);
            File.WriteAllText(path, $"<doc><assembly /><members><member name=\"T:{name}\"><summary>{summary}</summary></member></members></doc>");
            return path;
        }
        var files = new[] { Write("b.xml", "From b."), Write("a.xml", "From a.") };
        Assert.Equal("From b.\nFrom a.\n", DocSummaryExtractor.Extract(files));
    }

    [Fact]
    public void Malformed_xml_names_the_file()
    {
        using var reader = XmlReader.Create(new StringReader("<doc><members><member><summary>open"));
        var e = Assert.Throws<CorpusException>(() => DocSummaryExtractor.ExtractFrom(reader, "broken.xml"));
        Assert.Contains("broken.xml is not well-formed XML", e.Message);
        Assert.Contains("--corpus FILE", e.Message);
    }
}
