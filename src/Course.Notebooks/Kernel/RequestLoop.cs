using System.Collections.Concurrent;

namespace Course.Notebooks.Kernel;

/// <summary>
/// A thread that handles one channel's requests in arrival order. Shell and control each get one, so a cell that
/// runs for minutes on the shell loop leaves control free to interrupt or shut the kernel down.
/// </summary>
internal sealed class RequestLoop : IDisposable
{
    private readonly BlockingCollection<Action> _items = new();
    private readonly Thread _thread;

    public RequestLoop(string name)
    {
        // Background: a cell that never returns must not keep the process alive after shutdown.
        _thread = new Thread(Run) { Name = name, IsBackground = true };
    }

    public void Start() => _thread.Start();

    public void Add(Action item)
    {
        if (!_items.IsAddingCompleted) _items.Add(item);
    }

    private void Run()
    {
        foreach (var item in _items.GetConsumingEnumerable())
        {
            try { item(); }
            catch (Exception e) { KernelLog.Write($"{_thread.Name}: {e}"); }
        }
    }

    public void Dispose() => _items.CompleteAdding();
}
