namespace Course.Notebooks.Engine;

/// <summary>
/// Stops a running cell when asked. .NET cannot abort a thread, so the session compiles a check into the cell's
/// loops and method bodies (<see cref="InterruptRewriter"/>), the way Python checks for KeyboardInterrupt between
/// bytecodes. Threads the cell started see the same request, so they stop too.
/// </summary>
public static class CellInterrupt
{
    private static volatile bool s_requested;

    /// <summary>Called by the compiled cell at every loop iteration and method entry.</summary>
    public static void Check()
    {
        if (s_requested) throw new CellInterruptedException();
    }

    /// <summary>Whether the running cell has been asked to stop.</summary>
    public static bool Requested => s_requested;

    internal static void Request() => s_requested = true;

    internal static void Reset() => s_requested = false;
}

/// <summary>What an interrupted cell throws; the notebook shows it as the cell's error.</summary>
public sealed class CellInterruptedException() : OperationCanceledException("The cell was interrupted.");
