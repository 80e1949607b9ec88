using System.Collections.Concurrent;

namespace Course.Notebooks.Engine;

/// <summary>
/// The one thread every cell of a session runs on, in order. One thread keeps TorchSharp's thread-local state
/// (grad mode, dispose scopes) the same from cell to cell, and gives an interrupt a thread to wake: a cell blocked
/// in Sleep, Wait or Join gets a ThreadInterruptedException, one that computes meets <see cref="CellInterrupt.Check"/>.
/// </summary>
internal sealed class CellThread : IDisposable
{
    private readonly BlockingCollection<Action> _work = new();
    private readonly Thread _thread;
    private readonly Lock _gate = new();
    private bool _running;

    public CellThread()
    {
        // 16 MB of stack, as a console app's main thread has on Linux: deep recursion in a cell should fail like it
        // would in a program, not earlier.
        _thread = new Thread(Loop, maxStackSize: 16 * 1024 * 1024) { IsBackground = true, Name = "notebook cells" };
        _thread.Start();
    }

    /// <summary>Runs <paramref name="work"/> after the work queued before it; cancelling <paramref name="interrupt"/>
    /// while it runs interrupts it.</summary>
    public Task<T> Run<T>(Func<T> work, CancellationToken interrupt = default)
    {
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        _work.Add(() =>
        {
            CellInterrupt.Reset();
            using var registration = interrupt.Register(Interrupt);
            lock (_gate) _running = true;
            try { done.SetResult(work()); }
            catch (Exception e) { done.SetException(e); }
            finally
            {
                EndRunning();
                ForgetPendingInterrupt();
            }
        });
        return done.Task;
    }

    private void Interrupt()
    {
        CellInterrupt.Request();
        lock (_gate)
            if (_running) _thread.Interrupt();
    }

    /// <summary>Marks the cell as ended, so no later interrupt targets this thread. An interrupt that raced the cell's
    /// end can wake this thread while it waits for the lock (the interrupting thread holds it): that one is taken
    /// here, as it must not escape a finished cell and end the thread, and with it the kernel.</summary>
    private void EndRunning()
    {
        while (true)
        {
            try
            {
                lock (_gate) _running = false;
                return;
            }
            catch (ThreadInterruptedException) { }
        }
    }

    /// <summary>An interrupt that arrived while the cell was not blocked stays pending on the thread and would hit
    /// its next wait, in the next cell; a zero sleep takes it now.</summary>
    private static void ForgetPendingInterrupt()
    {
        try { Thread.Sleep(0); }
        catch (ThreadInterruptedException) { }
    }

    private void Loop()
    {
        foreach (var item in _work.GetConsumingEnumerable()) item();
    }

    public void Dispose() => _work.CompleteAdding();
}
