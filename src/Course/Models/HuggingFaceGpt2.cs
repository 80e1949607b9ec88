using System.Collections;
using System.Text.Json;
using System.Text.Json.Nodes;
using Course.Data;
using Course.Training;
using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace Course.Models;

/// <summary>
/// GPT-2 checkpoints in Hugging Face's folder layout, as <c>save_pretrained</c> writes them and the Hub serves them:
/// <c>config.json</c> and <c>model.safetensors</c>, or <c>pytorch_model.bin</c> (torch.save's zip format, read
/// through TorchSharp.PyBridge).
/// </summary>
/// <remarks>
/// The model is the course's <see cref="Gpt"/>: same blocks, same names. Three things differ in the files and are
/// handled here. Tensor names may lack the "transformer." prefix (the Hub's files were saved from GPT2Model) and may
/// include the causal-mask buffers h.N.attn.bias and h.N.attn.masked_bias, which are skipped. GPT-2's attention and
/// MLP layers are Conv1D modules, which store their weights as in × out, the transpose of a Linear's out × in.
/// And lm_head.weight, when present, is the token embedding again (GPT-2 ties them); it is checked, not loaded.
/// Every name, shape and dtype is checked before any weight is copied, and a bad file gets one line that says what
/// is wrong.
/// </remarks>
public static class HuggingFaceGpt2
{
    public const string ConfigFile = "config.json", SafeTensorsFile = "model.safetensors", PyTorchFile = "pytorch_model.bin";

    /// <summary>GPT-2's tokenizer: tiktoken's r50k_base holds the 50,257 tokens of GPT-2's byte-level BPE.</summary>
    public const string Encoding = Preset.Gpt2Tokenizer;

    private const string Prefix = "transformer.";
    private static readonly ScalarType[] FloatingPoint = [ScalarType.Float32, ScalarType.Float16, ScalarType.BFloat16, ScalarType.Float64];

    /// <summary>The checkpoint in <paramref name="directory"/> as a <see cref="Gpt"/> on the CPU, in eval mode.</summary>
    /// <exception cref="UserError">The folder is not a GPT-2 checkpoint this model can hold; the message says why.</exception>
    public static Gpt Load(string directory)
    {
        if (File.Exists(directory))
            throw new UserError($"{directory} is a file; give the folder that holds {ConfigFile} and {SafeTensorsFile} (or {PyTorchFile}).");
        if (!Directory.Exists(directory))
            throw new UserError($"No folder at {directory}: give a Hugging Face GPT-2 folder ({ConfigFile} and {SafeTensorsFile}), or one of the catalog's models ({string.Join(", ", CorpusCatalog.Models.Select(m => m.Name))}).");
        var config = ReadConfig(Path.Combine(directory, ConfigFile));
        using var file = WeightFile.Open(directory);
        var model = new Gpt(config);
        try
        {
            var targets = model.named_parameters().ToDictionary(p => p.name[Prefix.Length..], p => p.parameter);
            var sources = Match(file, targets);
            using (no_grad())
            {
                foreach (var (name, parameter) in targets)
                {
                    using var scope = NewDisposeScope();
                    var weight = file.Read(sources[name]).to(ScalarType.Float32);
                    parameter.copy_(IsConv1D(name) ? weight.t() : weight);
                }
            }
            if (file.Tensors.ContainsKey("lm_head.weight")) RequireTied(file, targets["wte.weight"]);
            model.eval();
            return model;
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>The <see cref="GptConfig"/> of a Hugging Face GPT2Config file, refusing settings the course's Gpt does not implement.</summary>
    public static GptConfig ReadConfig(string path)
    {
        if (!File.Exists(path))
            throw new UserError($"{Path.GetDirectoryName(path)} is not a Hugging Face checkpoint folder: it has no {ConfigFile}.");
        JsonObject json;
        try { json = JsonNode.Parse(File.ReadAllText(path)) as JsonObject ?? throw new UserError($"{path} is not a JSON object."); }
        catch (JsonException e) { throw new UserError($"{path} is not valid JSON ({e.Message}); download it again."); }

        int Required(params string[] names)
        {
            foreach (var name in names)
                if (json[name] is JsonValue value && value.TryGetValue<int>(out var number)) return number;
            throw new UserError($"{path} has no whole number {string.Join(" or ", names)}; a GPT-2 config.json has one.");
        }
        void Refuse(string name, Func<JsonNode, bool> supported, string why)
        {
            if (json[name] is not { } node) return;
            bool ok;
            try { ok = supported(node); }
            catch (Exception e) when (e is InvalidOperationException or FormatException) { ok = false; }
            if (!ok) throw new UserError($"{path}: {name} = {node.ToJsonString()} is not supported: {why}.");
        }
        Refuse("model_type", n => n.GetValue<string>() == "gpt2", "this reader loads GPT-2 checkpoints only");
        Refuse("activation_function", n => n.GetValue<string>() is "gelu_new" or "gelu_pytorch_tanh", "the course's GPT uses GELU's tanh approximation, as GPT-2 does");
        Refuse("layer_norm_epsilon", n => Math.Abs(n.GetValue<double>() - 1e-5) < 1e-12, "the course's LayerNorm uses ε = 1e-5, as GPT-2 does");
        Refuse("tie_word_embeddings", n => n.GetValue<bool>(), "the course's GPT ties its output layer to the token embedding");
        Refuse("scale_attn_weights", n => n.GetValue<bool>(), "attention scores are always divided by √d_k");
        Refuse("scale_attn_by_inverse_layer_idx", n => !n.GetValue<bool>(), "attention scores are not scaled by layer");
        var inner = json["n_inner"] is JsonValue v && v.TryGetValue<int>(out var width) ? width : (int?)null;
        var config = new GptConfig(VocabSize: Required("vocab_size"), BlockSize: Required("n_positions", "n_ctx"), NLayer: Required("n_layer"),
            NHead: Required("n_head"), NEmbd: Required("n_embd")) { IntermediateSize = inner };
        try { return config.Validate(); }
        catch (ArgumentException e) { throw new UserError($"{path} describes no valid GPT: {e.Message}"); }
    }

    /// <summary>For each of the model's names (without "transformer."), the file's name of that tensor, after checking that
    /// nothing is missing or left over and that every dtype and shape fits.</summary>
    private static Dictionary<string, string> Match(WeightFile file, IReadOnlyDictionary<string, Parameter> targets)
    {
        var sources = new Dictionary<string, string>();
        var unexpected = new List<string>();
        foreach (var stored in file.Tensors.Keys)
        {
            var name = stored.StartsWith(Prefix, StringComparison.Ordinal) ? stored[Prefix.Length..] : stored;
            if (targets.ContainsKey(name)) sources[name] = stored;
            else if (!IsMaskBuffer(name) && name != "lm_head.weight") unexpected.Add(stored);
        }
        var missing = targets.Keys.Where(name => !sources.ContainsKey(name)).ToList();
        if (missing.Count > 0)
            throw new UserError($"{file.Path} lacks {missing.Count} of the {targets.Count} tensors its {ConfigFile} needs ({Some(missing)}): it is incomplete or not a GPT-2 checkpoint.");
        if (unexpected.Count > 0)
            throw new UserError($"{file.Path} holds tensors a GPT-2 of its {ConfigFile} does not have ({Some(unexpected)}): it is not a GPT-2 checkpoint, or {ConfigFile} belongs to another model.");
        foreach (var (name, parameter) in targets)
        {
            var (dtype, shape) = file.Tensors[sources[name]];
            if (!FloatingPoint.Contains(dtype))
                throw new UserError($"{file.Path}: tensor '{sources[name]}' has dtype {dtype}; GPT-2's weights are floating point (F32, F16 or BF16). The file is damaged or not a GPT-2 checkpoint.");
            var expected = IsConv1D(name) ? [parameter.shape[1], parameter.shape[0]] : parameter.shape;
            if (!shape.SequenceEqual(expected))
                throw new UserError($"{file.Path}: tensor '{sources[name]}' has shape [{string.Join(", ", shape)}], but its {ConfigFile} needs [{string.Join(", ", expected)}]" +
                    (IsConv1D(name) ? " (Hugging Face's Conv1D stores in × out)" : "") + ". The weights and the config.json come from different models.");
        }
        return sources;
    }

    /// <summary>GPT-2 ties lm_head to wte; a file whose lm_head differs cannot be this model.</summary>
    private static void RequireTied(WeightFile file, Tensor wte)
    {
        var (_, shape) = file.Tensors["lm_head.weight"];
        using var head = shape.SequenceEqual(wte.shape) ? file.Read("lm_head.weight") : null;
        using var head32 = head?.to(ScalarType.Float32);
        if (head32 is null || !head32.allclose(wte, rtol: 0, atol: 0))
            throw new UserError($"{file.Path}: lm_head.weight is not the token embedding wte.weight. GPT-2 ties the two, and so does the course's GPT; this checkpoint has an untied output layer it cannot hold.");
    }

    /// <summary>The Conv1D weights: attn.c_attn, attn.c_proj, mlp.c_fc and mlp.c_proj (not their biases, not the LayerNorms).</summary>
    private static bool IsConv1D(string name) =>
        name.EndsWith(".weight", StringComparison.Ordinal) && (name.Contains(".attn.", StringComparison.Ordinal) || name.Contains(".mlp.", StringComparison.Ordinal));

    /// <summary>h.N.attn.bias and h.N.attn.masked_bias: the causal mask and its fill value, saved as buffers by older
    /// versions of transformers; the mask is rebuilt here, so they are skipped.</summary>
    private static bool IsMaskBuffer(string name) =>
        name.StartsWith("h.", StringComparison.Ordinal) && (name.EndsWith(".attn.bias", StringComparison.Ordinal) || name.EndsWith(".attn.masked_bias", StringComparison.Ordinal));

    private static string Some(IReadOnlyList<string> names) =>
        string.Join(", ", names.Take(4)) + (names.Count > 4 ? $", … {names.Count - 4} more" : "");

    /// <summary>The tensors of model.safetensors (read one at a time) or of pytorch_model.bin (read all at once).</summary>
    private sealed class WeightFile : IDisposable
    {
        private readonly FileStream? stream;
        private readonly SafeTensors.Header? header;
        private readonly Dictionary<string, Tensor>? loaded;

        private WeightFile(string path, FileStream? stream, SafeTensors.Header? header, Dictionary<string, Tensor>? loaded)
        {
            (Path, this.stream, this.header, this.loaded) = (path, stream, header, loaded);
            Tensors = header is not null
                ? header.Entries.ToDictionary(e => e.Name, e => (e.Dtype, e.Shape))
                : loaded!.ToDictionary(t => t.Key, t => (t.Value.dtype, t.Value.shape));
        }

        public string Path { get; }

        /// <summary>Every tensor's dtype and shape as stored, by the file's names.</summary>
        public IReadOnlyDictionary<string, (ScalarType Dtype, long[] Shape)> Tensors { get; }

        public static WeightFile Open(string directory)
        {
            var safetensors = System.IO.Path.Combine(directory, SafeTensorsFile);
            var pickle = System.IO.Path.Combine(directory, PyTorchFile);
            if (File.Exists(safetensors))
            {
                var stream = File.OpenRead(safetensors);
                try { return new WeightFile(safetensors, stream, SafeTensors.ReadHeader(stream, safetensors), loaded: null); }
                catch { stream.Dispose(); throw; }
            }
            if (File.Exists(pickle)) return new WeightFile(pickle, stream: null, header: null, Unpickle(pickle));
            throw new UserError($"{directory} has neither {SafeTensorsFile} nor {PyTorchFile}: download the weights into it.");
        }

        /// <summary>A new CPU tensor for <paramref name="name"/>, the caller's to dispose.</summary>
        public Tensor Read(string name) =>
            header is not null ? SafeTensors.ReadTensor(stream!, header, header.Entries.First(e => e.Name == name)) : loaded![name].alias();

        public void Dispose()
        {
            stream?.Dispose();
            if (loaded is not null) foreach (var t in loaded.Values) t.Dispose();
        }

        private static Dictionary<string, Tensor> Unpickle(string path)
        {
            Hashtable state;
            try { state = PyTorchUnpickler.UnpickleStateDict(path); }
            catch (NotImplementedException e)
            {
                throw new UserError($"{path} cannot be read ({e.Message}): it was saved in PyTorch's format from before 1.6, or holds a whole model. Use {SafeTensorsFile}, or save the state_dict again with a newer torch.save.", e);
            }
            catch (Exception e) when (e is InvalidDataException or IOException or InvalidCastException or Razorvine.Pickle.PickleException or InvalidOperationException)
            {
                throw new UserError($"{path} is not a readable PyTorch checkpoint ({e.Message}): it is damaged or was cut short. Download it again, or use {SafeTensorsFile}.", e);
            }
            return state.Cast<DictionaryEntry>().Where(e => e.Value is Tensor).ToDictionary(e => (string)e.Key, e => (Tensor)e.Value!);
        }
    }
}
