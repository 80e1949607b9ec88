using static TorchSharp.torch;

namespace Course.Training;

/// <summary>
/// The random-number states a checkpoint keeps so that a resumed run draws exactly what an uninterrupted one would:
/// the generator of the training batches, and libtorch's global generator (dropout). Every trainer saves and restores
/// them under the same names.
/// </summary>
public static class RandomStates
{
    public const string Batches = "rng.batches", Global = "rng.torch";

    /// <summary>Both states now, as named tensors for a checkpoint's state file (the caller disposes them).</summary>
    public static (string Name, Tensor Tensor)[] Capture(Generator batches) => [(Batches, batches.get_state()), (Global, get_rng_state())];

    /// <summary>Puts both generators back as <see cref="Capture"/> saw them.</summary>
    public static void Restore(IReadOnlyDictionary<string, Tensor> state, Generator batches)
    {
        batches.set_state(state[Batches]);
        set_rng_state(state[Global]);
    }
}
