using Course.Notebooks;
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
        // ScriptSessionStub stands in until the Roslyn CSharpSession is wired in; swap it here.
        code = KernelEntry.Run(kernelArguments, () => new ScriptSessionStub());
        break;
    default:
        Console.Error.WriteLine("Course.Notebooks is the notebook worker started by the runner and the Jupyter kernel. Use: ./course notebooks run NOTEBOOK.ipynb, or ./course kernel install");
        return 2;
}
// The process ends itself: threads a notebook or a cell started must not keep it alive after the last cell.
Console.Out.Flush();
Environment.Exit(code);
return code;
