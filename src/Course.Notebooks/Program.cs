using Course.Notebooks;

// This executable is the notebook worker: NotebookRunner starts it once per notebook (see WorkerProcess).
// People run notebooks through the course CLI: `./course notebooks run ...` and `./course notebooks export ...`.
if (args is not [WorkerProcess.Verb, var notebook, var baseDirectory, .. var flags] || flags.Any(f => f != WorkerProcess.AllowErrorsFlag))
{
    Console.Error.WriteLine("Course.Notebooks is the notebook worker started by the runner. Use: ./course notebooks run NOTEBOOK.ipynb");
    return 2;
}
var code = await NotebookWorker.RunAsync(notebook, baseDirectory, allowErrors: flags.Contains(WorkerProcess.AllowErrorsFlag));
// The worker ends the process itself: threads a notebook started must not keep it alive after the last cell.
Console.Out.Flush();
Environment.Exit(code);
return code;
