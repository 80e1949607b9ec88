using Course.Notebooks.Engine;

namespace Course.Notebooks.Kernel;

/// <summary>
/// `Course.Notebooks kernel --connection-file FILE` (or `-f FILE`): the command Jupyter runs from kernel.json.
/// </summary>
public static class KernelEntry
{
    public const string Verb = "kernel";

    public static int Run(IReadOnlyList<string> arguments, Func<ICodeSession> createSession)
    {
        try
        {
            var connection = ConnectionInfo.Load(ConnectionFileArgument(arguments));
            using var kernel = new JupyterKernel(connection, createSession());
            return kernel.Run();
        }
        catch (KernelStartupException e)
        {
            KernelLog.Write(e.Message);
            return 2;
        }
    }

    private static string ConnectionFileArgument(IReadOnlyList<string> arguments) => arguments switch
    {
        ["--connection-file" or "-f", var file] => file,
        _ => throw new KernelStartupException(
            $"Unexpected arguments '{string.Join(' ', arguments)}'; the kernel takes --connection-file FILE (or -f FILE), as kernel.json passes it. Install the kernel with: ./course kernel install"),
    };
}
