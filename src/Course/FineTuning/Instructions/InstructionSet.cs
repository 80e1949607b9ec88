using System.Security.Cryptography;
using System.Text;

namespace Course.FineTuning.Instructions;

/// <summary>One instruction example: a question about a .NET member and the answer, its documentation summary.</summary>
public sealed record Instruction(string MemberId, string Question, string Answer);

/// <summary>
/// The offline instruction set <c>dotnet-member-summary</c>: "What does M:System.String.Trim do?" answered with the
/// member's summary from the SDK's reference XML. It is built from <see cref="MemberKindTask"/>'s members, so it has the
/// same split by a stable hash of the documentation id: no member of the test split is seen in training.
/// </summary>
public sealed record InstructionSet(IReadOnlyList<Instruction> Train, IReadOnlyList<Instruction> Validation, IReadOnlyList<Instruction> Test)
{
    public const string Name = "dotnet-member-summary";

    public static string QuestionAbout(string memberId) => $"What does {memberId} do?";

    /// <summary>The set from the installed SDK's reference pack.</summary>
    public static InstructionSet Load() => From(MemberKindTask.Load());

    /// <summary>One question per member of each split of <paramref name="members"/>, answered with the member's summary.</summary>
    public static InstructionSet From(ClassificationTask members)
    {
        static IReadOnlyList<Instruction> Ask(IReadOnlyList<LabeledText> split) =>
            split.Select(m => new Instruction(m.Id, QuestionAbout(m.Id), m.Text)).ToList();
        return new(Ask(members.Train), Ask(members.Validation), Ask(members.Test));
    }

    /// <summary>SHA-256 of every example of every split: what a checkpoint records as its "corpus", so a resumed run
    /// can tell that it trains on the same examples.</summary>
    public string Sha256()
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var example in Train.Concat(Validation).Concat(Test))
            hash.AppendData(Encoding.UTF8.GetBytes($"{example.MemberId}\n{example.Question}\n{example.Answer}\n\0"));
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
