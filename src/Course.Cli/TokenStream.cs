using Course.Data;
using Course.Evaluation;
using Course.Models;
using static TorchSharp.torch;

namespace Course.Cli;

/// <summary>Generation that shows its text as it comes, a token at a time, instead of after the last token.</summary>
public static class TokenStream
{
    /// <summary>Samples <paramref name="count"/> tokens after <paramref name="prompt"/> and passes the text of each to
    /// <paramref name="write"/> as soon as it decodes to whole characters (a byte-level token may end inside one).
    /// One <see cref="LanguageModel.Generate"/> call reports each token as it is chosen, so the KV cache
    /// (<paramref name="useCache"/>) reads the prompt once.</summary>
    public static void Generate(LanguageModel model, int[] prompt, int count, NextTokenSampler sampler, Generator generator, ITokenizer tokenizer,
        Action<string> write, bool useCache = true)
    {
        var device = model.parameters().First().device;
        // The model reads at most BlockSize tokens of context; a longer prompt keeps its end.
        var context = prompt.Length <= model.Config.BlockSize ? prompt : prompt[^model.Config.BlockSize..];
        var pending = new List<int>();
        using var scope = NewDisposeScope();
        model.Generate(tensor(context.Select(i => (long)i).ToArray(), device: device).unsqueeze(0), count, sampler, generator, useCache, onToken: next =>
        {
            pending.Add((int)next[0, 0].item<long>());
            var text = tokenizer.Decode(pending);
            if (text.EndsWith('\uFFFD') && pending.Count < 4) return; // wait for the rest of a character cut between tokens
            write(text);
            pending.Clear();
        });
        if (pending.Count > 0) write(tokenizer.Decode(pending));
    }
}
