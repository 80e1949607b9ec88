using System.CommandLine;
using Course.Shipping.Export;
using Spectre.Console;

namespace Course.Cli.Commands;

/// <summary>`course export`: a checkpoint as an ONNX model, for ONNX Runtime and `course serve --onnx`.</summary>
public static class ExportCommand
{
    public static Command Create()
    {
        var checkpoint = new Option<string>("--checkpoint") { Description = "A checkpoint folder, e.g. runs/NAME/checkpoints/best.", Required = true };
        var format = new Option<string>("--format") { Description = "The format to write (onnx).", DefaultValueFactory = _ => "onnx" };
        format.AcceptOnlyFromAmong("onnx");
        var output = new Option<string?>("--out") { Description = "Folder for model.onnx and the tokenizer (default: the checkpoint's folder name + -onnx beside it)." };
        var kvCache = new Option<bool>("--kv-cache") { Description = "Add past/present keys and values, so generation feeds one token per step." };
        var int8 = new Option<bool>("--int8") { Description = "Store weight matrices as int8 with one scale per output channel (DequantizeLinear)." };
        var command = new Command("export", "Write a checkpoint as an ONNX model (opset 17, dynamic batch and sequence).") { checkpoint, format, output, kvCache, int8 };
        command.SetAction(parse =>
        {
            var source = Path.TrimEndingDirectorySeparator(parse.GetValue(checkpoint)!);
            var target = parse.GetValue(output) ?? source + "-onnx";
            var path = OnnxExport.FromCheckpoint(source, target, new OnnxExportOptions(parse.GetValue(kvCache), parse.GetValue(int8)));
            AnsiConsole.Console.WriteLine($"Wrote {path} ({new FileInfo(path).Length:N0} bytes, opset {OnnxGraph.Opset}) and the tokenizer beside it.");
            return 0;
        });
        return command;
    }
}
