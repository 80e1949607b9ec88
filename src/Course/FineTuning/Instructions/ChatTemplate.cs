using Course.Data;
using Course.Models;

namespace Course.FineTuning.Instructions;

/// <summary>An instruction example as token ids: <c>&lt;|user|&gt; question &lt;|assistant|&gt; answer &lt;|end|&gt;</c>;
/// the first <see cref="PromptLength"/> ids are the prompt (up to and including &lt;|assistant|&gt;).</summary>
public sealed record EncodedInstruction(Instruction Source, int[] Tokens, int PromptLength)
{
    /// <summary>Targets the loss counts: every answer token and the closing &lt;|end|&gt;.</summary>
    public int AnswerTokens => Tokens.Length - PromptLength;
}

/// <summary>
/// The chat template of instruction tuning. Three special tokens, &lt;|user|&gt;, &lt;|assistant|&gt; and &lt;|end|&gt;,
/// get new ids after the base model's vocabulary (<paramref name="firstSpecialId"/> = the pretrained VocabSize), so
/// no text can produce them: the model learns where a turn starts and ends from tokens that mean nothing else.
/// </summary>
/// <remarks>
/// Inputs are the sequence without its last token and targets the sequence shifted by one, as in pretraining, except
/// that every target inside the prompt is <see cref="IgnoreIndex"/>: cross-entropy skips it, so the loss (and the
/// gradient) comes from the answer and the &lt;|end|&gt; that closes it alone. The model is not taught to write
/// questions, only to answer them and to stop.
/// </remarks>
public sealed class ChatTemplate(ITokenizer tokenizer, int firstSpecialId)
{
    public static readonly IReadOnlyList<string> SpecialTokens = ["<|user|>", "<|assistant|>", "<|end|>"];

    /// <summary>The target the loss skips (<see cref="LanguageModel.IgnoreIndex"/>).</summary>
    public const long IgnoreIndex = LanguageModel.IgnoreIndex;

    private readonly HashSet<char>? _known = tokenizer is CharTokenizer chars ? chars.Vocabulary.ToHashSet() : null;

    public ITokenizer Tokenizer { get; } = tokenizer;
    public int User { get; } = firstSpecialId;
    public int Assistant => User + 1;
    public int End => User + 2;

    /// <summary>The vocabulary of the tuned model: the base one and the special tokens.</summary>
    public int VocabSize => User + SpecialTokens.Count;

    /// <summary>What the model reads before it answers.</summary>
    public int[] Prompt(string question) => [User, .. Tokenizer.Encode(question), Assistant];

    /// <summary>The example as ids, or null when it does not fit a context of <paramref name="blockSize"/> (inputs are one
    /// token shorter than the sequence) or holds characters a char-level tokenizer does not know. Neither is cut: a cut
    /// answer would teach the model to stop mid-sentence and make exact match meaningless.</summary>
    public EncodedInstruction? Encode(Instruction example, int blockSize)
    {
        if (_known is not null && !(example.Question + example.Answer).All(_known.Contains)) return null;
        var prompt = Prompt(example.Question);
        int[] tokens = [.. prompt, .. Tokenizer.Encode(example.Answer), End];
        return tokens.Length - 1 <= blockSize ? new EncodedInstruction(example, tokens, prompt.Length) : null;
    }

    /// <summary>Inputs and targets of <paramref name="example"/> padded to <paramref name="length"/> positions: inputs
    /// padded with &lt;|end|&gt; (a causal model's earlier positions never see them), targets with IgnoreIndex, and every
    /// target that predicts a prompt token is IgnoreIndex too.</summary>
    public (long[] Inputs, long[] Targets) InputsAndTargets(EncodedInstruction example, int length)
    {
        var inputs = new long[length];
        var targets = new long[length];
        Array.Fill(inputs, End);
        Array.Fill(targets, IgnoreIndex);
        var tokens = example.Tokens;
        for (int t = 0; t < tokens.Length - 1; t++)
        {
            inputs[t] = tokens[t];
            if (t + 1 >= example.PromptLength) targets[t] = tokens[t + 1];
        }
        return (inputs, targets);
    }

    /// <summary>The text of a generated answer: the ids up to the first special token (normally &lt;|end|&gt;).</summary>
    public string Answer(IEnumerable<long> generated) =>
        Tokenizer.Decode(generated.TakeWhile(id => id < Math.Min(User, Tokenizer.VocabSize)).Select(id => (int)id));
}
