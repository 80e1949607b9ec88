using Course.Testing;
using Course.Data;
using Course.Models;
using Course.Tests.Data;
using Course.Tests.DevContainer;
using Course.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Course.Tests.Models;

/// <summary>
/// A tiny GPT-2 in Hugging Face's layout, written with its expected logits and loss by an independent PyTorch script
/// (tools/pytorch-reference/hf_gpt2.py): the course's Gpt must reproduce them from either weight file, and every way
/// a folder can be wrong gets one clear message.
/// </summary>
public class HuggingFaceGpt2Tests
{
    private static readonly string Fixture = RepositoryRoot.PathOf("data/fixtures/hf-tiny-gpt2");

    [Fact]
    public void From_model_safetensors_the_model_reproduces_pytorchs_logits_and_loss() => AssertReproduces(Fixture);

    [Fact]
    public void From_pytorch_model_bin_alone_it_reproduces_them_too()
    {
        using var folder = Copy(HuggingFaceGpt2.ConfigFile, HuggingFaceGpt2.PyTorchFile);
        AssertReproduces(folder.Path);
    }

    [Fact]
    public void Half_precision_weights_are_widened_to_fp32()
    {
        using var folder = Copy(HuggingFaceGpt2.ConfigFile);
        using (var weights = SafeTensors.Read(Path.Combine(Fixture, HuggingFaceGpt2.SafeTensorsFile)))
            Write(folder, weights.Tensors.Select(t => (t.Key, t.Value.to(ScalarType.Float16))));
        AssertReproduces(folder.Path, tolerance: 0.05);
    }

    [Fact]
    public void Config_json_becomes_the_gpt_config_and_the_output_layer_is_the_embedding()
    {
        using var model = Gpt.FromPretrained(Fixture);
        Assert.Equal(new GptConfig(VocabSize: 64, BlockSize: 16, NLayer: 2, NHead: 2, NEmbd: 16), model.Config);
        Assert.False(model.training);
        using var bin = Copy(HuggingFaceGpt2.ConfigFile, HuggingFaceGpt2.PyTorchFile);
        using var fromBin = Gpt.FromPretrained(bin.Path);
        var other = fromBin.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        Assert.All(model.named_parameters(), p => Assert.True(p.parameter.allclose(other[p.name], rtol: 0, atol: 0), p.name));
    }

    [Fact]
    public void The_tokenizer_is_gpt2s_encoding()
    {
        var encoding = new TiktokenEncoding(HuggingFaceGpt2.Encoding);
        Assert.Equal(50257, encoding.VocabSize);
        Assert.Equal([15496, 995], encoding.Encode("Hello world"));
    }

    [Fact]
    public void A_weight_stored_as_a_linear_instead_of_a_conv1d_is_refused_with_both_shapes()
    {
        var message = Refused(tensors => tensors["h.0.attn.c_attn.weight"] = tensors["h.0.attn.c_attn.weight"].t().contiguous());
        Assert.Contains("tensor 'h.0.attn.c_attn.weight' has shape [48, 16], but its config.json needs [16, 48] (Hugging Face's Conv1D stores in × out)", message);
    }

    [Fact]
    public void A_missing_tensor_is_named()
    {
        var message = Refused(tensors => tensors.Remove("h.1.mlp.c_fc.weight"));
        Assert.Contains("lacks 1 of the 28 tensors its config.json needs (h.1.mlp.c_fc.weight): it is incomplete", message);
    }

    [Fact]
    public void An_integer_weight_is_refused_by_its_dtype()
    {
        var message = Refused(tensors => tensors["ln_f.bias"] = tensors["ln_f.bias"].to(ScalarType.Int32));
        Assert.Contains("tensor 'ln_f.bias' has dtype Int32; GPT-2's weights are floating point", message);
    }

    [Fact]
    public void A_tensor_of_another_model_is_refused()
    {
        var message = Refused(tensors => tensors["h.0.attn.q_proj.weight"] = zeros(16, 16));
        Assert.Contains("holds tensors a GPT-2 of its config.json does not have (h.0.attn.q_proj.weight)", message);
    }

    [Fact]
    public void An_untied_output_layer_is_refused()
    {
        var message = Refused(tensors => tensors["lm_head.weight"] = tensors["wte.weight"] + 1);
        Assert.Contains("lm_head.weight is not the token embedding wte.weight", message);
        // A tied lm_head, as saved by GPT2LMHeadModel, is accepted (the .bin fixture has one).
        using var folder = Copy(HuggingFaceGpt2.ConfigFile);
        using (var weights = SafeTensors.Read(Path.Combine(Fixture, HuggingFaceGpt2.SafeTensorsFile)))
            Write(folder, weights.Tensors.Select(t => (t.Key, t.Value)).Append(("lm_head.weight", weights.Tensors["wte.weight"])));
        Gpt.FromPretrained(folder.Path).Dispose();
    }

    [Theory]
    [InlineData(HuggingFaceGpt2.SafeTensorsFile, "is not a valid safetensors file", "cut short")]
    [InlineData(HuggingFaceGpt2.PyTorchFile, "is not a readable PyTorch checkpoint", "damaged or was cut short")]
    public void A_truncated_weight_file_is_refused(string file, string problem, string advice)
    {
        using var folder = Copy(HuggingFaceGpt2.ConfigFile);
        var bytes = File.ReadAllBytes(Path.Combine(Fixture, file));
        File.WriteAllBytes(folder.File(file), bytes[..(bytes.Length * 2 / 3)]);
        var message = Assert.Throws<UserError>(() => Gpt.FromPretrained(folder.Path)).Message;
        Assert.Contains(problem, message);
        Assert.Contains(advice, message);
    }

    [Fact]
    public void A_bin_in_pytorchs_format_from_before_1_6_is_refused_with_the_way_out()
    {
        using var folder = Copy(HuggingFaceGpt2.ConfigFile);
        File.WriteAllBytes(folder.File(HuggingFaceGpt2.PyTorchFile), [0x80, 0x02, 0x8a, 0x0a, 0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8]);
        var message = Assert.Throws<UserError>(() => Gpt.FromPretrained(folder.Path)).Message;
        Assert.Contains("saved in PyTorch's format from before 1.6", message);
        Assert.Contains("Use model.safetensors", message);
    }

    [Fact]
    public void Folders_without_a_config_or_weights_and_configs_of_other_models_are_refused()
    {
        using var empty = new TempDirectory();
        Assert.Contains("it has no config.json", Assert.Throws<UserError>(() => Gpt.FromPretrained(empty.Path)).Message);
        Assert.Contains("No folder at", Assert.Throws<UserError>(() => Gpt.FromPretrained(empty.File("nothing"))).Message);

        using var configOnly = Copy(HuggingFaceGpt2.ConfigFile);
        Assert.Contains("has neither model.safetensors nor pytorch_model.bin", Assert.Throws<UserError>(() => Gpt.FromPretrained(configOnly.Path)).Message);

        var config = File.ReadAllText(Path.Combine(Fixture, HuggingFaceGpt2.ConfigFile));
        File.WriteAllText(configOnly.File(HuggingFaceGpt2.ConfigFile), config.Replace("\"gelu_new\"", "\"relu\""));
        Assert.Contains("activation_function = \"relu\" is not supported", Assert.Throws<UserError>(() => HuggingFaceGpt2.ReadConfig(configOnly.File(HuggingFaceGpt2.ConfigFile))).Message);
        File.WriteAllText(configOnly.File(HuggingFaceGpt2.ConfigFile), config.Replace("\"n_embd\"", "\"hidden\""));
        Assert.Contains("has no whole number n_embd", Assert.Throws<UserError>(() => HuggingFaceGpt2.ReadConfig(configOnly.File(HuggingFaceGpt2.ConfigFile))).Message);
        File.WriteAllText(configOnly.File(HuggingFaceGpt2.ConfigFile), "[1, 2]");
        Assert.Contains("is not a JSON object", Assert.Throws<UserError>(() => HuggingFaceGpt2.ReadConfig(configOnly.File(HuggingFaceGpt2.ConfigFile))).Message);
    }

    [Fact]
    public void A_catalog_model_is_downloaded_once_pinned_and_checked_on_every_later_load()
    {
        var bodies = new[] { HuggingFaceGpt2.ConfigFile, HuggingFaceGpt2.SafeTensorsFile }.ToDictionary(f => "/" + f, f => File.ReadAllBytes(Path.Combine(Fixture, f)));
        var requests = 0;
        using var server = new LocalHttpServer((c, _, _) =>
        {
            Interlocked.Increment(ref requests);
            return LocalHttpServer.Serve(c, bodies[c.Request.Url!.AbsolutePath]);
        });
        var entry = new PretrainedEntry("tiny-gpt2", "test", "MIT", new Uri(server.Url, "/").ToString(),
            [new PretrainedFile(HuggingFaceGpt2.ConfigFile), new PretrainedFile(HuggingFaceGpt2.SafeTensorsFile)]);
        using var cache = new TempDirectory();
        var options = new DownloadOptions { Timeout = TimeSpan.FromSeconds(5) };

        Assert.Contains("--allow-unverified", Assert.Throws<CorpusException>(() => PretrainedModels.Fetch(entry, cache.Path, options)).Message);
        Assert.Equal(0, requests);

        var folder = PretrainedModels.Fetch(entry, cache.Path, options with { AllowUnverified = true });
        Assert.Equal(2, requests);
        Assert.True(File.Exists(Path.Combine(folder, HuggingFaceGpt2.SafeTensorsFile + PinnedDownload.RecordedShaSuffix)));
        AssertReproduces(PretrainedModels.Fetch(entry, cache.Path, options));
        Assert.Equal(2, requests); // the cached files were used

        File.AppendAllText(Path.Combine(folder, HuggingFaceGpt2.SafeTensorsFile), "?");
        Assert.Contains("it was changed or damaged since", Assert.Throws<CorpusException>(() => PretrainedModels.Fetch(entry, cache.Path, options)).Message);
    }

    [Fact]
    public void The_catalog_names_the_four_gpt2_sizes()
    {
        Assert.Equal(["gpt2", "gpt2-medium", "gpt2-large", "gpt2-xl"], CorpusCatalog.Models.Select(m => m.Name));
        Assert.All(CorpusCatalog.Models, m =>
        {
            Assert.Equal($"https://huggingface.co/openai-community/{m.Name}/resolve/main/", m.Url);
            Assert.Equal([HuggingFaceGpt2.ConfigFile, HuggingFaceGpt2.SafeTensorsFile], m.Files.Select(f => f.Name));
        });
        Assert.Contains("neither a folder nor a model of the catalog (gpt2, gpt2-medium, gpt2-large, gpt2-xl)",
            Assert.Throws<UserError>(() => PretrainedModels.Resolve("gpt3")).Message);
    }

    private static void AssertReproduces(string folder, double tolerance = 1e-4)
    {
        using var scope = NewDisposeScope();
        using var expected = SafeTensors.Read(Path.Combine(Fixture, "expected.safetensors"));
        using var model = Gpt.FromPretrained(folder);
        using var noGrad = no_grad();
        var (logits, loss) = model.forward(expected.Tensors["ids"], expected.Tensors["targets"]);
        var logitError = (logits - expected.Tensors["logits"]).abs().max().item<float>();
        var lossError = Math.Abs(loss.item<float>() - expected.Tensors["loss"].item<float>());
        Assert.True(logitError < tolerance, $"logits differ from PyTorch's by up to {logitError}");
        Assert.True(lossError < tolerance / 10, $"the loss differs from PyTorch's by {lossError}");
    }

    /// <summary>The message for the fixture's model.safetensors changed by <paramref name="change"/>.</summary>
    private static string Refused(Action<Dictionary<string, Tensor>> change)
    {
        using var folder = Copy(HuggingFaceGpt2.ConfigFile);
        using (var weights = SafeTensors.Read(Path.Combine(Fixture, HuggingFaceGpt2.SafeTensorsFile)))
        {
            var tensors = new Dictionary<string, Tensor>(weights.Tensors);
            change(tensors);
            Write(folder, tensors.Select(t => (t.Key, t.Value)));
        }
        return Assert.Throws<UserError>(() => Gpt.FromPretrained(folder.Path)).Message;
    }

    private static void Write(TempDirectory folder, IEnumerable<(string, Tensor)> tensors)
    {
        using var stream = File.Create(folder.File(HuggingFaceGpt2.SafeTensorsFile));
        SafeTensors.Write(stream, tensors);
    }

    private static TempDirectory Copy(params string[] files)
    {
        var folder = new TempDirectory();
        foreach (var file in files) File.Copy(Path.Combine(Fixture, file), folder.File(file));
        return folder;
    }
}
