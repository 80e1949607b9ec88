using System.Text;
using Course.Data;

namespace Course.FineTuning;

/// <summary>
/// The offline task <c>dotnet-member-kind</c>: from a member's documentation summary in the .NET SDK's reference
/// XML files, predict its kind, the prefix of its documentation id: T (type), M (method, constructors included),
/// P (property), F (field, enum values included) or E (event).
/// </summary>
/// <remarks>
/// Members with another prefix (N: namespaces, Overload:, "!:" unresolved) are left out. A documentation id can occur
/// in more than one XML file; the first occurrence (files in ordinal order) is kept, so that no member is in two
/// splits. The split is by a hash of the id, FNV-1a 32-bit of its UTF-8 bytes mod 10: 0–7 train, 8 validation,
/// 9 test. It depends on nothing but the id, so it is the same on every machine and the same when members are
/// added to a newer SDK (old members keep their split).
/// </remarks>
public static class MemberKindTask
{
    public const string Name = "dotnet-member-kind";
    public static readonly IReadOnlyList<string> Labels = ["type", "method", "property", "field", "event"];
    private const string Prefixes = "TMPFE";

    /// <summary>The task from the installed SDK's reference pack.</summary>
    public static ClassificationTask Load() => FromMembers(DocSummaryExtractor.MemberSummaries(SdkReferencePack.Find().XmlFiles));

    /// <summary>The task from (documentation id, summary) pairs.</summary>
    public static ClassificationTask FromMembers(IEnumerable<(string Id, string Summary)> members)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var splits = new[] { new List<LabeledText>(), new List<LabeledText>(), new List<LabeledText>() };
        foreach (var (id, summary) in members)
        {
            if (id.Length < 3 || id[1] != ':' || Prefixes.IndexOf(id[0]) < 0 || !seen.Add(id)) continue;
            var bucket = Bucket(id);
            splits[bucket < 8 ? 0 : bucket == 8 ? 1 : 2].Add(new LabeledText(id, summary, Prefixes.IndexOf(id[0])));
        }
        if (splits.Any(s => s.Count == 0))
            throw new InvalidDataException($"The documentation gave too few members for {Name} (train {splits[0].Count}, validation {splits[1].Count}, test {splits[2].Count}); every split needs examples.");
        return new ClassificationTask(Name, Labels, splits[0], splits[1], splits[2]);
    }

    /// <summary>The split bucket 0–9 of a documentation id: FNV-1a (32-bit) of its UTF-8 bytes, mod 10. Not
    /// string.GetHashCode, which .NET randomises per process.</summary>
    public static int Bucket(string id)
    {
        uint hash = 2166136261;
        foreach (var b in Encoding.UTF8.GetBytes(id)) hash = (hash ^ b) * 16777619;
        return (int)(hash % 10);
    }
}
