namespace Course.Cli;

/// <summary>Long work that Ctrl+C stops cleanly: the first Ctrl+C cancels the work's token (a trainer finishes its
/// step and saves); a second one ends the process as usual.</summary>
public static class Interruptible
{
    /// <returns>Whether Ctrl+C was pressed.</returns>
    public static bool Run(Action<CancellationToken> work)
    {
        using var interrupt = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            if (interrupt.IsCancellationRequested) return;
            e.Cancel = true;
            interrupt.Cancel();
        };
        Console.CancelKeyPress += onCancel;
        try
        {
            work(interrupt.Token);
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
        return interrupt.IsCancellationRequested;
    }
}
