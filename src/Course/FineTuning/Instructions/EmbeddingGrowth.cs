using Course.Models;
using static TorchSharp.torch;

namespace Course.FineTuning.Instructions;

/// <summary>Makes room for new tokens (the chat template's) in a pretrained language model.</summary>
public static class EmbeddingGrowth
{
    /// <summary>
    /// The weights of <paramref name="model"/> for a vocabulary <paramref name="added"/> tokens larger: every tensor as it
    /// is, except the token embedding (which the output layer shares), whose new rows are the mean of the existing rows.
    /// </summary>
    /// <remarks>
    /// The mean, rather than a random draw, is what Hewitt ("Initializing new word embeddings for pretrained language
    /// models", 2021) recommends: with a tied output layer a new token's logit is then the average logit, so the grown model
    /// predicts the old tokens almost exactly as before (a random row could be far more or less likely than any of them),
    /// and the new tokens start from the region of space the model knows. Returned tensors are new CPU copies.
    /// </remarks>
    public static Dictionary<string, Tensor> Grow(LanguageModel model, int added)
    {
        if (added < 1) throw new ArgumentException($"Add at least one token (got {added}).");
        var embedding = model.TokenEmbeddingName;
        using var noGrad = no_grad();
        var grown = new Dictionary<string, Tensor>();
        foreach (var (name, parameter) in model.named_parameters())
        {
            var weights = parameter.detach().cpu().to(ScalarType.Float32);
            grown[name] = name == embedding
                ? cat([weights, weights.mean([0], keepdim: true).expand(added, -1)], 0)
                : weights.clone();
        }
        return grown;
    }
}
