using System.Text.Json;
using Course.Evaluation;

namespace Course.Shipping.Serving;

/// <summary>An OpenAI-style completion request, checked: every problem becomes a <see cref="RequestException"/> that
/// names the field and what is allowed, which the server answers with 400.</summary>
public sealed record CompletionRequest(string Id, string Prompt, int[] PromptTokens, int MaxTokens, double Temperature, double TopP, ulong Seed, bool Stream)
{
    public NextTokenSampler Sampler => new(Temperature, TopP: TopP < 1 ? TopP : null);

    public static CompletionRequest Parse(string body, ICompletionModel model, int maxTokensLimit)
    {
        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(body);
            root = document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new RequestException($"The body is not valid JSON ({e.Message}). Send an object such as {{\"prompt\": \"Gets the\", \"max_tokens\": 32}}.");
        }
        if (root.ValueKind != JsonValueKind.Object)
            throw new RequestException("The body must be a JSON object such as {\"prompt\": \"Gets the\", \"max_tokens\": 32}.");

        if (!root.TryGetProperty("prompt", out var promptValue) || promptValue.ValueKind != JsonValueKind.String || promptValue.GetString()!.Length == 0)
            throw new RequestException("'prompt' must be a non-empty string.", "prompt");
        var prompt = promptValue.GetString()!;
        int[] tokens;
        try { tokens = model.Tokenizer.Encode(prompt); }
        catch (ArgumentException e) { throw new RequestException($"'prompt' cannot be encoded: {e.Message}", "prompt"); }
        if (tokens.Length == 0) throw new RequestException("'prompt' encodes to no tokens; give some text.", "prompt");
        if (tokens.Length > model.BlockSize)
            throw new RequestException($"'prompt' is {tokens.Length} tokens, longer than the model's context of {model.BlockSize}; shorten it.", "prompt");

        var maxTokens = Number(root, "max_tokens", 16, 1, maxTokensLimit, integer: true);
        var temperature = Number(root, "temperature", 1.0, 0, 2);
        var topP = Number(root, "top_p", 1.0, double.Epsilon, 1);
        var seed = root.TryGetProperty("seed", out var seedValue) && seedValue.ValueKind != JsonValueKind.Null
            ? seedValue.ValueKind == JsonValueKind.Number && seedValue.TryGetUInt64(out var s) ? s
                : throw new RequestException("'seed' must be a whole number ≥ 0.", "seed")
            : (ulong)Random.Shared.NextInt64(long.MaxValue);
        var stream = root.TryGetProperty("stream", out var streamValue) && streamValue.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False or JsonValueKind.Null => false,
            _ => throw new RequestException("'stream' must be true or false.", "stream"),
        };
        return new CompletionRequest($"cmpl-{Guid.NewGuid():N}", prompt, tokens, (int)maxTokens, temperature, topP, seed, stream);
    }

    private static double Number(JsonElement root, string name, double fallback, double min, double max, bool integer = false)
    {
        if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null) return fallback;
        var range = min == double.Epsilon ? $"in (0, {max}]" : $"between {min} and {max}";
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out var number) || (integer && number != Math.Floor(number)))
            throw new RequestException($"'{name}' must be {(integer ? "a whole number" : "a number")} {range}.", name);
        if (number < min || number > max)
            throw new RequestException($"'{name}' is {number}; it must be {range}.", name);
        return number;
    }
}

/// <summary>A request the server refuses with 400 and this message.</summary>
public sealed class RequestException(string message, string? parameter = null) : Exception(message)
{
    public string? Parameter => parameter;
}
