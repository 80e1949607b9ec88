using Course.Models;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Course.FineTuning;

/// <summary>How the per-position hidden states of a sequence become one vector for the head.</summary>
public enum Pooling
{
    /// <summary>The hidden state at the last real (non-padding) token. The default: in a causal model it is the only
    /// position that has attended to the whole sequence, as in GPT-1's classification fine-tuning (Radford et al., 2018).</summary>
    LastToken,
    /// <summary>The mean over the real tokens: every position contributes, though early ones saw only a prefix.</summary>
    Mean,
}

/// <summary>
/// A sequence classifier on a pretrained GPT: the body's final hidden states (ln_f output) are pooled to one vector
/// per sequence and a Linear head maps it to one logit per class.
/// </summary>
/// <remarks>
/// Parameters are named body.* (the GPT's own names under "body.") and head.weight / head.bias. Sequences are
/// right-padded, so with causal attention the padding after a sequence cannot change the hidden states of its real
/// tokens: the pad id only needs to be a valid id, and pooling reads only the first <c>length</c> positions.
/// </remarks>
public sealed class GptClassifier : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly LanguageModel body;
    private readonly Linear head;

    public Pooling Pooling { get; }
    public int Classes { get; }
    public LanguageModel Body => body;

    public GptClassifier(LanguageModel body, int classes, Pooling pooling = Pooling.LastToken) : base(nameof(GptClassifier))
    {
        if (classes < 2) throw new ArgumentException($"A classifier needs at least 2 classes (got {classes}).");
        this.body = body;
        Classes = classes;
        Pooling = pooling;
        head = nn.Linear(body.Config.NEmbd, classes);
        using (no_grad())
        {
            // Small random weights and zero bias: the initial logits are near zero, so the first loss is about ln(classes).
            nn.init.normal_(head.weight!, 0.0, 0.02);
            nn.init.zeros_(head.bias!);
        }
        RegisterComponents();
    }

    /// <summary>Token ids (B, T), right-padded, and the real length of each sequence (B) → logits (B, classes).</summary>
    public override Tensor forward(Tensor idx, Tensor lengths) => head.call(Pool(body.Hidden(idx), lengths));

    /// <summary>Trains only the head (the body's parameters stop requiring gradients), or everything.</summary>
    public void FreezeBody(bool freeze)
    {
        foreach (var p in body.parameters()) p.requires_grad = !freeze;
    }

    private Tensor Pool(Tensor hidden, Tensor lengths)
    {
        var (batch, time) = (hidden.size(0), hidden.size(1));
        if (Pooling == Pooling.LastToken)
        {
            var last = (lengths - 1).view(batch, 1, 1).expand(batch, 1, hidden.size(2));
            return hidden.gather(1, last).squeeze(1);
        }
        var mask = (arange(time, device: hidden.device).unsqueeze(0) < lengths.unsqueeze(1)).unsqueeze(2).to(hidden.dtype);
        return (hidden * mask).sum(1) / lengths.unsqueeze(1).to(hidden.dtype);
    }
}
