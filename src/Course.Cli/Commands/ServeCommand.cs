using System.CommandLine;
using Course.Shipping.Serving;
using Spectre.Console;

namespace Course.Cli.Commands;

/// <summary>`course serve`: an HTTP completion API and a page to try prompts, from a checkpoint or an exported ONNX model.</summary>
public static class ServeCommand
{
    public static Command Create()
    {
        var checkpoint = new Option<string?>("--checkpoint") { Description = "Serve a checkpoint folder with TorchSharp." };
        var onnx = new Option<string?>("--onnx") { Description = "Serve a model.onnx written by `course export` with ONNX Runtime." };
        var host = new Option<string>("--host") { Description = "Address to bind (loopback by default).", DefaultValueFactory = _ => "127.0.0.1" };
        var port = new Option<int>("--port") { Description = "Port (0 picks a free one).", DefaultValueFactory = _ => 8000 };
        var concurrent = new Option<int>("--max-concurrent") { Description = "Generations at once; more get 429.", DefaultValueFactory = _ => 4 };
        var maxTokens = new Option<int>("--max-tokens") { Description = "The largest max_tokens a request may ask for.", DefaultValueFactory = _ => 512 };
        var command = new Command("serve", "Serve POST /v1/completions (OpenAI-style, streaming), GET /health and a page to try prompts.")
        {
            checkpoint, onnx, host, port, concurrent, maxTokens,
        };
        command.SetAction(async (parse, cancellation) =>
        {
            var (fromCheckpoint, fromOnnx) = (parse.GetValue(checkpoint), parse.GetValue(onnx));
            if ((fromCheckpoint is null) == (fromOnnx is null)) throw new UserError("Give --checkpoint DIR or --onnx FILE (one of them).");
            var options = new ServerOptions
            {
                Host = parse.GetValue(host)!, Port = parse.GetValue(port), MaxConcurrentGenerations = parse.GetValue(concurrent),
                MaxTokens = parse.GetValue(maxTokens), Log = true,
            }.Validate();
            using ICompletionModel model = fromCheckpoint is not null ? TorchCompletionModel.FromCheckpoint(fromCheckpoint) : OnnxCompletionModel.FromFile(fromOnnx!);
            await using var server = await CompletionServer.StartAsync(model, options, cancellation);
            AnsiConsole.Console.WriteLine($"Serving {model.Name} ({model.Backend}) at {server.Address} — open it in a browser; Ctrl+C stops after the generations in progress.");
            await server.WaitForShutdownAsync();
            return 0;
        });
        return command;
    }
}
