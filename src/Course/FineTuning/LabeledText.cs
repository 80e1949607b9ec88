namespace Course.FineTuning;

/// <summary>One example of a text classification task: a stable id (for splitting), the text, and its class index.</summary>
public sealed record LabeledText(string Id, string Text, int Label);

/// <summary>A text classification task: class names and the examples of its train, validation and test splits.</summary>
public sealed record ClassificationTask(string Name, IReadOnlyList<string> Labels, IReadOnlyList<LabeledText> Train,
    IReadOnlyList<LabeledText> Validation, IReadOnlyList<LabeledText> Test)
{
    public const string TrainSplit = "train", ValidationSplit = "validation", TestSplit = "test";

    public IReadOnlyList<LabeledText> Split(string name) => name switch
    {
        TrainSplit => Train,
        ValidationSplit or "val" => Validation,
        TestSplit => Test,
        _ => throw new UserError($"Unknown split '{name}'. Use one of: {TrainSplit}, {ValidationSplit}, {TestSplit}."),
    };

    /// <summary>How many examples of each class a split holds, in label order.</summary>
    public static int[] ClassCounts(IReadOnlyList<LabeledText> split, int classes)
    {
        var counts = new int[classes];
        foreach (var example in split) counts[example.Label]++;
        return counts;
    }
}
