namespace Course.Notebooks.Kernel;

/// <summary>
/// Why the kernel cannot start (a bad connection file, an unknown argument), as one line that names the problem
/// and the fix. The entry point prints the message alone: a stack trace would bury the fix in a Jupyter log.
/// </summary>
public sealed class KernelStartupException(string message) : Exception(message);
