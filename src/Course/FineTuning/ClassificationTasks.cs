namespace Course.FineTuning;

/// <summary>The classification tasks `course finetune --task NAME` knows.</summary>
public static class ClassificationTasks
{
    public static IReadOnlyList<string> Names { get; } = [MemberKindTask.Name];

    public static ClassificationTask Load(string name) => name switch
    {
        MemberKindTask.Name => MemberKindTask.Load(),
        _ => throw new UserError($"Unknown task '{name}'. Known tasks: {string.Join(", ", Names)}."),
    };
}
