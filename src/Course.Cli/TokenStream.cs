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
    /// One call of <see cref="Gpt.Generate"/> per token with the same generator draws the same tokens as one call for
    /// all of them.</summary>
    public static void Generate(Gpt model, int[] prompt, int count, NextTokenSampler sampler, Generator generator, ITokenizer tokenizer, Action<string> write)
    {
        var device = model.parameters().First().device;
        var context = prompt.Select(i => (long)i).ToList();
        var pending = new List<int>();
        for (var i = 0; i < count; i++)
        {
            using var scope = NewDisposeScope();
            var window = context.Count <= model.Config.BlockSize ? context : context.GetRange(context.Count - model.Config.BlockSize, model.Config.BlockSize);
            var next = model.Generate(tensor(window.ToArray(), device: device).unsqueeze(0), 1, sampler, generator)[0, -1].item<long>();
            context.Add(next);
            if (context.Count > 2 * model.Config.BlockSize) context.RemoveRange(0, context.Count - model.Config.BlockSize);
            pending.Add((int)next);
            var text = tokenizer.Decode(pending);
            if (text.EndsWith('\uFFFD') && pending.Count < 4) continue; // wait for the rest of a character cut between tokens
            write(text);
            pending.Clear();
        }
        if (pending.Count > 0) write(tokenizer.Decode(pending));
    }
}
