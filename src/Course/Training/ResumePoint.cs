namespace Course.Training;

/// <summary>
/// The checkpoint a resumed run continues from: the newest valid one of checkpoints/latest, checkpoints/latest.old
/// (left when a save was killed between its two renames) and checkpoints/best, read and verified, with the reasons
/// the newer ones were passed over.
/// </summary>
public sealed class ResumePoint : IDisposable
{
    public static readonly string[] Candidates = [Trainer.LatestCheckpoint, Trainer.LatestCheckpoint + ".old", Trainer.BestCheckpoint];

    private ResumePoint(string name, string directory, Checkpoint.Loaded loaded, IReadOnlyList<string> passedOver) =>
        (Name, Directory, Loaded, PassedOver) = (name, directory, loaded, passedOver);

    /// <summary>The checkpoint's path relative to the run folder, e.g. "checkpoints/latest.old".</summary>
    public string Name { get; }
    public string Directory { get; }
    public Checkpoint.Loaded Loaded { get; }
    public Checkpoint.Manifest Manifest => Loaded.Manifest;

    /// <summary>Why each newer candidate was not used ("checkpoints/latest is missing").</summary>
    public IReadOnlyList<string> PassedOver { get; }

    /// <summary>The newest valid checkpoint of <paramref name="runDirectory"/> by step (on a tie, in the order of
    /// <see cref="Candidates"/>); null when none exists at all.</summary>
    /// <exception cref="UserError">Checkpoints exist but none is valid.</exception>
    public static ResumePoint? Find(string runDirectory)
    {
        var notes = new List<(string Name, string Note)>();
        var readable = new List<(string Name, string Directory, int Step)>();
        foreach (var name in Candidates)
        {
            var directory = Path.Combine(runDirectory, name);
            if (!System.IO.Directory.Exists(directory)) { notes.Add((name, $"{name} is missing")); continue; }
            try { readable.Add((name, directory, Checkpoint.ReadManifest(directory).Step)); }
            catch (UserError e) { notes.Add((name, $"{name} is damaged ({e.Message})")); }
        }
        foreach (var (name, directory, _) in readable.OrderByDescending(c => c.Step)) // OrderBy is stable: ties keep the candidates' order
        {
            try
            {
                var loaded = Checkpoint.Load(directory);
                var newer = notes.Where(n => Array.IndexOf(Candidates, n.Name) < Array.IndexOf(Candidates, name)).Select(n => n.Note).ToList();
                return new ResumePoint(name, directory, loaded, newer);
            }
            catch (UserError e) { notes.Add((name, $"{name} is damaged ({e.Message})")); }
        }
        if (readable.Count == 0 && notes.All(n => n.Note.EndsWith(" is missing"))) return null;
        throw new UserError($"{runDirectory} has no valid checkpoint to resume: {string.Join("; ", notes.Select(n => n.Note))}. Start a new run with another --out.");
    }

    public void Dispose() => Loaded.Dispose();
}
