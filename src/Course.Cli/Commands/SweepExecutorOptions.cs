using System.CommandLine;
using Course.Experiments.Slurm;

namespace Course.Cli.Commands;

/// <summary>The options of `course sweep` that choose who runs the trials: this process (local) or Slurm, and what
/// each Slurm task asks for.</summary>
internal sealed class SweepExecutorOptions
{
    public const string Local = "local", Slurm = "slurm";

    private readonly Option<string> _executor = new("--executor") { Description = "Who runs the trials: local (this process, one after another) or slurm (one sbatch job array).", DefaultValueFactory = _ => Local };
    private readonly Option<string?> _partition = new("--partition") { Description = "Slurm: the partition of every trial (default: the cluster's)." };
    private readonly Option<string?> _time = new("--time") { Description = "Slurm: time limit per trial, e.g. 30 (minutes) or 2:00:00." };
    private readonly Option<int> _cpus = new("--cpus-per-trial") { Description = "Slurm: CPU cores per trial.", DefaultValueFactory = _ => 1 };
    private readonly Option<string?> _memory = new("--mem") { Description = "Slurm: memory per trial, e.g. 4G." };
    private readonly Option<int> _gpus = new("--gpus-per-trial") { Description = "Slurm: GPUs per trial (--gres=gpu:N).", DefaultValueFactory = _ => 0 };
    private readonly Option<int?> _maxRunning = new("--max-running") { Description = "Slurm: at most this many trials at once." };
    private readonly Option<string[]> _sbatch = new("--sbatch") { Description = "Slurm: one more #SBATCH option for every trial, e.g. --sbatch account=lab (repeatable)." };
    private readonly Option<bool> _detach = new("--detach") { Description = "Slurm: submit and return; follow with `course sweep status DIR`." };
    private readonly Option<bool> _cancelOnExit = new("--cancel-on-exit") { Description = "Slurm: on Ctrl+C, cancel the queued and running trials without asking." };

    public SweepExecutorOptions() => _executor.AcceptOnlyFromAmong(Local, Slurm);

    private IEnumerable<Option> SlurmOnly => [_partition, _time, _cpus, _memory, _gpus, _maxRunning, _sbatch, _detach, _cancelOnExit];

    public void AddTo(Command command)
    {
        command.Add(_executor);
        foreach (var option in SlurmOnly) command.Add(option);
    }

    /// <summary>What Slurm should run the trials with; null for the local executor, which refuses Slurm's options.</summary>
    public SlurmOptions? Read(ParseResult parse)
    {
        if (parse.GetValue(_executor) == Local)
        {
            var given = SlurmOnly.FirstOrDefault(o => parse.GetResult(o) is { Implicit: false });
            return given is null ? null : throw new UserError($"{given.Name} is an option of the Slurm executor; add --executor slurm, or leave it out.");
        }
        return new SlurmOptions(parse.GetValue(_partition), parse.GetValue(_time), parse.GetValue(_cpus), parse.GetValue(_memory), parse.GetValue(_gpus),
            parse.GetValue(_maxRunning), parse.GetValue(_sbatch)).Validate();
    }

    public bool Detach(ParseResult parse) => parse.GetValue(_detach);

    public bool CancelOnExit(ParseResult parse) => parse.GetValue(_cancelOnExit);
}
