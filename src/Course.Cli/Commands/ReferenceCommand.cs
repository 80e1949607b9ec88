using System.CommandLine;
using Course.Training;
using Spectre.Console;

namespace Course.Cli.Commands;

/// <summary>`course reference`: the C# half of the comparison with PyTorch (tools/pytorch-reference/compare.py).</summary>
public static class ReferenceCommand
{
    public static Command Create()
    {
        var output = new Option<string>("--out") { Description = "Folder for weights, batch and outputs (safetensors).", Required = true };
        var device = new Option<string>("--device") { Description = "auto, cpu or cuda (compare.py runs on the CPU, in fp32).", DefaultValueFactory = _ => "cpu" };
        device.AcceptOnlyFromAmong(DeviceChoice.Values);
        var command = new Command("reference", "Write a small GPT, a batch, and its logits, loss, gradients and AdamW-step losses for tools/pytorch-reference/compare.py.")
        {
            output, device,
        };
        command.SetAction(parse =>
        {
            var directory = parse.GetValue(output)!;
            PyTorchReference.Write(directory, DeviceChoice.Resolve(parse.GetValue(device)!));
            AnsiConsole.Console.WriteLine($"Wrote {directory}; compare with: python3 tools/pytorch-reference/compare.py {directory}");
            return 0;
        });
        return command;
    }
}
