namespace Course.Data;

/// <summary>Checks that a path the user gave is a folder, naming what it is when it is not.</summary>
public static class Folders
{
    /// <param name="what">What the folder should hold ("checkpoint", "run folder"), for the message.</param>
    /// <param name="fix">What to give instead.</param>
    public static void Require(string path, string what, string fix)
    {
        if (Directory.Exists(path)) return;
        if (File.Exists(path)) throw new UserError($"{path} is a file, not a {what} folder. {fix}");
        throw new UserError($"No {what} at {path}: the folder does not exist. {fix}");
    }
}
