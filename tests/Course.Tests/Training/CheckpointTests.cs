using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using Course.Training;
using static Course.Tests.Training.TrainingFixtures;

namespace Course.Tests.Training;

public class CheckpointTests
{
    private static string TrainedCheckpoint()
    {
        var run = TempDirectory();
        using var trainer = NewTrainer(Options(2), run);
        trainer.Run();
        return Path.Combine(run, Trainer.LatestCheckpoint);
    }

    [Fact]
    public void Model_file_is_safetensors_with_pytorch_names_and_an_aligned_header()
    {
        var path = Path.Combine(TrainedCheckpoint(), Checkpoint.ModelFile);
        var bytes = File.ReadAllBytes(path);
        var headerLength = (long)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        Assert.Equal(0, (8 + headerLength) % 8);
        using var header = JsonDocument.Parse(Encoding.UTF8.GetString(bytes, 8, (int)headerLength));
        var wte = header.RootElement.GetProperty("transformer.wte.weight");
        Assert.Equal("F32", wte.GetProperty("dtype").GetString());
        var shape = wte.GetProperty("shape").EnumerateArray().Select(e => e.GetInt64()).ToArray();
        var offsets = wte.GetProperty("data_offsets").EnumerateArray().Select(e => e.GetInt64()).ToArray();
        Assert.Equal(shape[0] * shape[1] * 4, offsets[1] - offsets[0]);
        Assert.Equal("pt", header.RootElement.GetProperty("__metadata__").GetProperty("format").GetString());
        var lastEnd = header.RootElement.EnumerateObject().Where(p => p.Name != "__metadata__")
            .Max(p => p.Value.GetProperty("data_offsets")[1].GetInt64());
        Assert.Equal(bytes.Length, 8 + headerLength + lastEnd);
    }

    [Fact]
    public void Round_trip_restores_identical_weights_and_tokenizer()
    {
        var directory = TrainedCheckpoint();
        using var loaded = Checkpoint.Load(directory);
        var corpus = Corpus();
        using var model = new Course.Models.Gpt(loaded.Manifest.Config);
        Checkpoint.LoadWeights(model, loaded.Weights.Tensors);
        foreach (var (name, parameter) in model.named_parameters())
            Assert.True(parameter.equal(loaded.Weights.Tensors[name]).all().item<bool>(), name);
        Assert.Equal("char", loaded.Tokenizer.Kind);
        Assert.Equal(corpus.Text[..40], loaded.Tokenizer.Decode(loaded.Tokenizer.Encode(corpus.Text[..40])));
        Assert.Equal(2, loaded.Manifest.Step);
    }

    [Fact]
    public void A_truncated_file_is_refused_with_a_clear_message()
    {
        var directory = TrainedCheckpoint();
        var model = Path.Combine(directory, Checkpoint.ModelFile);
        var bytes = File.ReadAllBytes(model);
        File.WriteAllBytes(model, bytes[..(bytes.Length / 2)]);
        var error = Assert.Throws<UserError>(() => Checkpoint.Load(directory));
        Assert.Contains("truncated", error.Message);
    }

    [Fact]
    public void A_corrupted_file_is_refused_with_a_clear_message()
    {
        var directory = TrainedCheckpoint();
        var state = Path.Combine(directory, Checkpoint.StateFile);
        var bytes = File.ReadAllBytes(state);
        bytes[^5] ^= 0xFF;
        File.WriteAllBytes(state, bytes);
        Assert.Contains("corrupt", Assert.Throws<UserError>(() => Checkpoint.Load(directory)).Message);
    }

    [Fact]
    public void A_damaged_safetensors_header_is_refused_before_any_tensor_is_made()
    {
        var path = Path.Combine(TempDirectory(), "bad.safetensors");
        var header = Encoding.UTF8.GetBytes("{\"w\":{\"dtype\":\"F32\",\"shape\":[4,4],\"data_offsets\":[0,64]}}");
        var bytes = new byte[8 + header.Length + 10];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)header.Length);
        header.CopyTo(bytes, 8);
        File.WriteAllBytes(path, bytes);
        Assert.Contains("tensor 'w' needs bytes [0, 64] of a 10-byte data section", Assert.Throws<UserError>(() => SafeTensors.Read(path)).Message);
    }

    [Fact]
    public void Saving_again_replaces_the_checkpoint_without_leaving_temporary_folders()
    {
        var run = TempDirectory();
        using (var trainer = NewTrainer(Options(2), run)) trainer.Run();
        using (var trainer = NewTrainer(Options(4), run))
        {
            trainer.Resume(Path.Combine(run, Trainer.LatestCheckpoint));
            trainer.Run();
        }
        var checkpoints = Path.Combine(run, "checkpoints");
        Assert.Equal(new[] { "best", "latest" }, Directory.GetDirectories(checkpoints).Select(Path.GetFileName).Order());
        using var loaded = Checkpoint.Load(Path.Combine(run, Trainer.LatestCheckpoint));
        Assert.Equal(4, loaded.Manifest.Step);
    }
}
