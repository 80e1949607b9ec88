using System.Runtime.InteropServices;

namespace Course.Notebooks.Kernel;

/// <summary>
/// Turns interrupt_request messages and SIGINT into cancelling the running cell's token. SIGINT is caught and
/// cancelled (the runtime would otherwise end the process): Jupyter sends it to interrupt, never to stop.
/// </summary>
public sealed class Interrupts : IDisposable
{
    private readonly Lock _gate = new();
    private CancellationTokenSource? _running;
    private PosixSignalRegistration? _sigint;

    public void HandleSigint() =>
        _sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, context =>
        {
            context.Cancel = true; // keep the process alive
            Interrupt();
        });

    /// <summary>A token for a cell about to run; cancelled by <see cref="Interrupt"/> until <see cref="End"/>.</summary>
    public CancellationToken Begin()
    {
        lock (_gate)
        {
            _running = new CancellationTokenSource();
            return _running.Token;
        }
    }

    public void End()
    {
        lock (_gate)
        {
            _running?.Dispose();
            _running = null;
        }
    }

    /// <summary>Cancels the running cell, if any; an interrupt with no cell running does nothing, as in ipykernel.</summary>
    public void Interrupt()
    {
        lock (_gate) _running?.Cancel();
    }

    public void Dispose() => _sigint?.Dispose();
}
