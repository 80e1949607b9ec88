using System.Text.Json.Serialization;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Course.Vision;

/// <summary>A multilayer perceptron's shape: the flattened pixels → Hidden (ReLU) → Classes.</summary>
public sealed record MlpConfig(int Inputs, int Hidden, int Classes)
{
    [JsonIgnore]
    public long ParameterCount => (Inputs + 1L) * Hidden + (Hidden + 1L) * Classes;

    /// <summary>The hidden width whose parameter count comes closest to <paramref name="parameters"/>: for comparing
    /// with another network at equal size.</summary>
    public static MlpConfig WithParameters(long parameters, int inputs, int classes) =>
        new(inputs, (int)Math.Max(1, Math.Round((parameters - classes) / (double)(inputs + 1 + classes))), classes);
}

/// <summary>
/// The baseline for a convolutional network: every pixel connected to every hidden unit, with no idea that
/// neighbouring pixels belong together. Parameter names as PyTorch's: fc1.weight, fc1.bias, fc2.weight, fc2.bias.
/// </summary>
public sealed class Mlp : ImageClassifier
{
    private readonly Linear fc1, fc2;

    public MlpConfig Shape { get; }
    public override object Config => Shape;

    public Mlp(MlpConfig config) : base(nameof(Mlp))
    {
        if (config.Inputs <= 0 || config.Hidden <= 0 || config.Classes <= 0) throw new ArgumentException($"Every size of an MLP must be positive (got {config}).");
        Shape = config;
        fc1 = nn.Linear(config.Inputs, config.Hidden);
        fc2 = nn.Linear(config.Hidden, config.Classes);
        RegisterComponents();
    }

    public override Tensor forward(Tensor images) => fc2.forward(nn.functional.relu(fc1.forward(images.flatten(1))));
}
