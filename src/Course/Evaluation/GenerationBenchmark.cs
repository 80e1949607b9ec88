using System.Diagnostics;
using Course.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Course.Evaluation;

/// <summary>Generation speed of one model at one context length, with or without the KV cache.</summary>
/// <param name="PromptSeconds">Time to the first new token: reading the prompt (context − tokens ids) once.</param>
/// <param name="TokensPerSecond">Rate of the tokens after the first, each generated at a context of about <paramref name="Context"/>.</param>
public sealed record GenerationSpeed(string Model, long Parameters, int Context, int Tokens, bool KvCache, string Device,
    double PromptSeconds, double TokensPerSecond);

/// <summary>
/// Measures what the KV cache buys: greedy generation of a few tokens after a prompt of random ids, so that the
/// sequence ends at the given context length. The time to the first token is the cost of the prompt; the rate over
/// the other tokens is the cost per token at that context (llama.cpp reports the same two, as "pp" and "tg").
/// Without the cache each token costs a forward pass over the whole context; with it, a pass over one token.
/// </summary>
public static class GenerationBenchmark
{
    public static GenerationSpeed Measure(LanguageModel model, string name, int context, int tokens, bool useCache)
    {
        if (tokens < 2) throw new ArgumentException($"Measure at least 2 tokens (got {tokens}): the first one pays for the prompt.");
        if (context <= tokens || context > model.Config.BlockSize)
            throw new ArgumentException($"The context ({context}) must exceed the tokens generated ({tokens}) and fit the block size ({model.Config.BlockSize}).");
        var device = model.parameters().First().device;
        using var scope = NewDisposeScope();
        using var ids = new Generator(1234);
        var prompt = randint(model.Config.VocabSize, [1, context - tokens], generator: ids).to(device);
        // One short untimed run first: the first pass allocates buffers and loads kernels.
        model.Generate(prompt[.., ..Math.Min(8, context - tokens)], 2, NextTokenSampler.Greedy, useCache: useCache);

        var arrivals = new List<double>(tokens);
        var clock = Stopwatch.StartNew();
        model.Generate(prompt, tokens, NextTokenSampler.Greedy, useCache: useCache, onToken: next =>
        {
            // Reading the token waits for the device, so each time stamp is taken after that token's work is done.
            _ = next.cpu();
            arrivals.Add(clock.Elapsed.TotalSeconds);
        });
        return new GenerationSpeed(name, model.ParameterCount(), context, tokens, useCache, device.ToString(),
            arrivals[0], (tokens - 1) / (arrivals[^1] - arrivals[0]));
    }
}
