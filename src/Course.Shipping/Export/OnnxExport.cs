using Course.Data;
using Course.Models;
using Course.Training;
using Google.Protobuf;

namespace Course.Shipping.Export;

/// <summary>
/// `course export --format onnx`: a checkpoint folder in, a folder out with <c>model.onnx</c> and the checkpoint's
/// tokenizer (which a server needs to turn text into ids and back).
/// </summary>
public static class OnnxExport
{
    public const string ModelFile = "model.onnx";

    /// <summary>Writes the export of <paramref name="checkpoint"/> into <paramref name="outputDirectory"/>; returns the model's path.</summary>
    public static string FromCheckpoint(string checkpoint, string outputDirectory, OnnxExportOptions options)
    {
        using var loaded = Checkpoint.Load(checkpoint);
        RequireGpt(loaded.Manifest.Config, checkpoint);
        var model = GptOnnx.Build(loaded.Manifest.Config, loaded.Weights.Tensors, options);
        // Locked like a run folder: two exports into one folder would interleave their files; an unwritable or
        // in-use folder is a UserError.
        using var folder = FolderLock.Acquire(outputDirectory, "export folder");
        var path = Path.Combine(outputDirectory, ModelFile);
        Write(model, path);
        loaded.Tokenizer.Save(outputDirectory);
        return path;
    }

    /// <summary>The graph is built for the GPT only so far (a Llama-style model would get its own builder on
    /// OnnxLayers beside GptOnnx); any other architecture is refused by name.</summary>
    public static void RequireGpt(GptConfig config, string checkpoint)
    {
        if (config.Architecture != Architecture.Gpt)
            throw new UserError($"{checkpoint} holds a {config.Architecture} model; ONNX export and compression work on GPT checkpoints only. Give a checkpoint of a GPT preset.");
    }

    /// <summary>Writes <paramref name="model"/> to a temporary file and renames it, so a failed export leaves no half-written model.</summary>
    public static void Write(Onnx.ModelProto model, string path)
    {
        var temporary = path + ".tmp";
        using (var stream = File.Create(temporary)) model.WriteTo(stream);
        File.Move(temporary, path, overwrite: true);
    }
}
