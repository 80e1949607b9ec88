using Course.Notebooks;
using Course.Notebooks.Engine;
using Course.Notebooks.Kernel;

// This executable is the notebook worker (NotebookRunner starts it once per notebook, see WorkerProcess) and the
// Jupyter kernel (Jupyter starts it from the kernel.json that `./course kernel install` writes).
// People run notebooks through the course CLI: `./course notebooks run ...` and `./course notebooks export ...`.
int code;
switch (args)
{
    case [WorkerProcess.Verb, var notebook, var baseDirectory, .. var flags] when flags.All(f => f == WorkerProcess.AllowErrorsFlag):
        code = await NotebookWorker.RunAsync(notebook, baseDirectory, allowErrors: flags.Contains(WorkerProcess.AllowErrorsFlag));
        break;
    case [KernelEntry.Verb, .. var kernelArguments]:
        code = KernelEntry.Run(kernelArguments, () =>
        {
            // Jupyter starts the kernel in the notebook's folder, where relative paths in cells start, as in the runner.
            var session = new CSharpSession(Environment.CurrentDirectory);
            // Roslyn's start-up runs on the cell thread while the front end connects, ahead of the first cell; then the
            // services for completion and documentation load, ahead of the first Tab.
            _ = session.WarmUpAsync().ContinueWith(_ => session.WarmUpAssistanceAsync(), TaskScheduler.Default);
            return session;
        });
        break;
    default:
        Console.Error.WriteLine("Course.Notebooks is the notebook worker started by the runner and the Jupyter kernel. Use: ./course notebooks run NOTEBOOK.ipynb, or ./course kernel install");
        return 2;
}
// The process ends itself: threads a notebook or a cell started must not keep it alive after the last cell.
Console.Out.Flush();
Environment.Exit(code);
return code;
