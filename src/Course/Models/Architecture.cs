using System.Text.Json.Serialization;

namespace Course.Models;

/// <summary>The two decoder-only families the course builds; a preset names one, and checkpoints record it.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<Architecture>))]
public enum Architecture
{
    /// <summary>GPT-2 (Radford et al., 2019): learned position embeddings, LayerNorm, a GELU MLP, multi-head attention, biases.</summary>
    Gpt,

    /// <summary>Llama (Touvron et al., 2023): rotary position embeddings, RMSNorm, a SwiGLU MLP, grouped-query attention, no biases.</summary>
    Llama,
}
