using Course.Data;

namespace Course.Shipping.Serving;

/// <summary>
/// Turns generated tokens into the text each one adds. A byte-level BPE token can end in the middle of a UTF-8
/// character, which decodes to U+FFFD until the next token completes it, so text is released only up to the last
/// complete character.
/// </summary>
public sealed class TextDeltas(ITokenizer tokenizer)
{
    private readonly List<int> _tokens = [];
    private int _released;

    /// <summary>The text that <paramref name="token"/> completes (possibly empty).</summary>
    public string Add(int token)
    {
        _tokens.Add(token);
        var text = tokenizer.Decode(_tokens);
        if (text.EndsWith('\uFFFD')) return "";
        var delta = text[_released..];
        _released = text.Length;
        return delta;
    }

    /// <summary>Everything decoded so far, complete or not (for the end of a completion).</summary>
    public string Rest()
    {
        var text = tokenizer.Decode(_tokens);
        var delta = text[Math.Min(_released, text.Length)..];
        _released = text.Length;
        return delta;
    }

    public string Text => tokenizer.Decode(_tokens);
}
