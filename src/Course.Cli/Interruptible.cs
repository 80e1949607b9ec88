using System.Runtime.InteropServices;

namespace Course.Cli;

/// <summary>Long work that stops cleanly when asked to: Ctrl+C (SIGINT), a closed terminal (SIGHUP) or a
/// container or service stop (SIGTERM) cancels the work's token, and a trainer finishes its step and saves. A
/// second Ctrl+C ends the process as usual.</summary>
public static class Interruptible
{
    /// <returns>Whether a stop signal arrived.</returns>
    public static bool Run(Action<CancellationToken> work)
    {
        using var interrupt = new CancellationTokenSource();
        var registrations = new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM, PosixSignal.SIGHUP }.Select(signal =>
            PosixSignalRegistration.Create(signal, context =>
            {
                // A second SIGINT keeps the default (the process ends); any first signal only asks the work to stop.
                if (interrupt.IsCancellationRequested && context.Signal == PosixSignal.SIGINT) return;
                context.Cancel = true;
                interrupt.Cancel();
            })).ToList();
        try
        {
            work(interrupt.Token);
        }
        finally
        {
            foreach (var registration in registrations) registration.Dispose();
        }
        return interrupt.IsCancellationRequested;
    }
}
