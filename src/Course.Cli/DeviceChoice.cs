using TorchSharp;

namespace Course.Cli;

/// <summary>The --device option: auto (CUDA when present, else CPU), cpu or cuda.</summary>
public static class DeviceChoice
{
    public static readonly string[] Values = ["auto", "cpu", "cuda"];

    public static torch.Device Resolve(string choice) => choice switch
    {
        "auto" => torch.cuda.is_available() ? torch.CUDA : torch.CPU,
        "cpu" => torch.CPU,
        "cuda" when torch.cuda.is_available() => torch.CUDA,
        "cuda" => throw new UserError("--device cuda was asked for, but no CUDA device is available to TorchSharp. " +
            "Build with the cuda backend (TORCH_BACKEND=cuda bash setup.sh) on a machine with an NVIDIA driver, or use --device cpu."),
        _ => throw new UserError($"Unknown device '{choice}'. Use one of: {string.Join(", ", Values)}."),
    };
}
