using System.Xml;
using Course.Data;
using Course.FineTuning;

namespace Course.Tests.FineTuning;

public class MemberKindTaskTests
{
    [Fact]
    public void Member_summaries_pair_each_id_with_the_extractors_rendering()
    {
        const string xml = """
            <doc><members>
              <member name="T:System.String"><summary>Represents text as a <see cref="T:System.Char"/> sequence.</summary></member>
              <member name="M:System.String.Trim"><summary>
                 Removes   whitespace.</summary><returns>x</returns></member>
              <member name="P:System.String.Length"><summary></summary></member>
            </members></doc>
            """;
        var pairs = DocSummaryExtractor.MemberSummaries(XmlReader.Create(new StringReader(xml)), "test.xml");
        Assert.Equal([("T:System.String", "Represents text as a Char sequence."), ("M:System.String.Trim", "Removes whitespace.")], pairs);
        // The corpus text is the same summaries, one per line.
        Assert.Equal("Represents text as a Char sequence.\nRemoves whitespace.\n", DocSummaryExtractor.ExtractFrom(XmlReader.Create(new StringReader(xml)), "test.xml"));
    }

    [Fact]
    public void Labels_come_from_the_id_prefix_and_the_split_from_a_stable_hash()
    {
        var members = Enumerable.Range(0, 200).Select(i => ($"{"TMPFEN"[i % 6]}:Ns.Member{i}", $"Summary {i}.")).ToList();
        members.Add(("M:Ns.Member1", "A duplicate id, dropped."));
        var task = MemberKindTask.FromMembers(members);
        var all = task.Train.Concat(task.Validation).Concat(task.Test).ToList();
        Assert.Equal(167, all.Count); // 200 less the 33 N: (namespace) ids i = 5, 11, ..., 197; the duplicate is dropped
        Assert.All(all, e => Assert.Equal("TMPFE"[e.Label], e.Id[0]));
        Assert.All(task.Test, e => Assert.Equal(9, MemberKindTask.Bucket(e.Id)));
        Assert.All(task.Validation, e => Assert.Equal(8, MemberKindTask.Bucket(e.Id)));
        // FNV-1a of "M:X" (bytes 0x4D 0x3A 0x58; offset 2166136261, prime 16777619, mod 2^32) is 567382394, computed
        // independently in Python; 567382394 mod 10 = 4. A fixed number, so the split cannot drift between machines.
        Assert.Equal(4, MemberKindTask.Bucket("M:X"));
    }
}
