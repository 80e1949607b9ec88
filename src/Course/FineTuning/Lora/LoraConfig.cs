using System.Text.Json.Serialization;

namespace Course.FineTuning.Lora;

/// <summary>
/// What LoRA (Hu et al., 2021) adapts and how: rank r, alpha (the update is scaled by alpha / r, so changing r does not
/// change the update's size at initialisation), dropout on the adapter's input, and the target layers.
/// </summary>
/// <remarks>
/// Targets are the groups "attn" (the attention projections) and "mlp" (the MLP projections), or single layers named by
/// the end of their module path. The paths are GPT-2's (attn.c_attn, attn.c_proj, mlp.c_fc, mlp.c_proj) and Llama's
/// (self_attn.q_proj ... o_proj, mlp.gate_proj, up_proj, down_proj). A path end, not a bare name, because GPT-2 has a
/// c_proj in both the attention and the MLP. PEFT matches target_modules the same way (a suffix of the module path).
/// </remarks>
public sealed record LoraConfig(int Rank, double Alpha, double Dropout, IReadOnlyList<string> Targets)
{
    public static readonly IReadOnlyDictionary<string, string[]> Groups = new Dictionary<string, string[]>
    {
        ["attn"] = ["attn.c_attn", "attn.c_proj", "self_attn.q_proj", "self_attn.k_proj", "self_attn.v_proj", "self_attn.o_proj"],
        ["mlp"] = ["mlp.c_fc", "mlp.c_proj", "mlp.gate_proj", "mlp.up_proj", "mlp.down_proj"],
    };

    /// <summary>Every target name accepted: the groups, then the layers they hold.</summary>
    public static IReadOnlyList<string> KnownTargets { get; } = [.. Groups.Keys, .. Groups.Values.SelectMany(g => g)];

    /// <summary>alpha / r, the factor of the low-rank update B·A.</summary>
    [JsonIgnore] public double Scaling => Alpha / Rank;

    /// <summary>The module-path ends the targets stand for, groups expanded.</summary>
    [JsonIgnore] public IReadOnlyList<string> PathEnds => Targets.SelectMany(t => Groups.TryGetValue(t, out var layers) ? layers : [t]).Distinct().ToList();

    public LoraConfig Validate()
    {
        if (Rank < 1) throw new UserError($"The LoRA rank must be at least 1 (got {Rank}); give --lora-rank 8, say.");
        if (!double.IsFinite(Alpha) || Alpha <= 0) throw new UserError($"The LoRA alpha must be a finite positive number (got {Alpha}); the usual choice is twice the rank.");
        if (Dropout is < 0 or >= 1 || double.IsNaN(Dropout)) throw new UserError($"The LoRA dropout must be in [0, 1) (got {Dropout}).");
        if (Targets.Count == 0) throw new UserError($"Name at least one LoRA target: {string.Join(", ", KnownTargets)}.");
        var unknown = Targets.Where(t => !KnownTargets.Contains(t)).ToList();
        if (unknown.Count > 0)
            throw new UserError($"Unknown LoRA target {string.Join(", ", unknown.Select(t => $"'{t}'"))}. Known targets: {string.Join(", ", KnownTargets)}.");
        return this;
    }

    /// <summary>Whether the layer at <paramref name="path"/> (e.g. transformer.h.0.attn.c_attn) is a target.</summary>
    public bool Matches(string path) => PathEnds.Any(end => EndsIn(path, end));

    /// <summary>Whether module path <paramref name="path"/> is <paramref name="end"/> or ends in "." + end.</summary>
    public static bool EndsIn(string path, string end) => path == end || path.EndsWith("." + end, StringComparison.Ordinal);
}
