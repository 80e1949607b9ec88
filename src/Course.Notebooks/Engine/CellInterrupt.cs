using System.Runtime.CompilerServices;

namespace Course.Notebooks.Engine;

/// <summary>
/// The flag an interrupt sets and the checks that cell code runs: <see cref="InterruptRewriter"/> inserts
/// <see cref="Check"/> into every loop and <see cref="Enter"/> into every method body of a cell, so a cell that
/// computes forever can be stopped without killing the process.
/// </summary>
public static class CellInterrupt
{
    private static volatile bool s_requested;

    /// <summary>Called by the compiled cell at every loop iteration.</summary>
    public static void Check()
    {
        if (s_requested) throw new CellInterruptedException();
    }

    /// <summary>Called by the compiled cell at every method entry. Besides the interrupt, it stops recursion that has
    /// nearly filled the stack: a stack overflow cannot be caught in .NET and would end the kernel, while
    /// <see cref="InsufficientExecutionStackException"/> fails just the cell.</summary>
    public static void Enter()
    {
        Check();
        RuntimeHelpers.EnsureSufficientExecutionStack();
    }

    /// <summary>Whether the running cell has been asked to stop.</summary>
    public static bool Requested => s_requested;

    internal static void Request() => s_requested = true;

    internal static void Reset() => s_requested = false;
}

/// <summary>What an interrupted cell throws; the notebook shows it as the cell's error.</summary>
public sealed class CellInterruptedException() : OperationCanceledException("The cell was interrupted.");
