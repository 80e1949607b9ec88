namespace Course.Notebooks.Tests;

/// <summary>A fresh folder under the system temp directory, deleted after the test.</summary>
public sealed class TempFolder : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("course-notebooks-").FullName;

    public string this[string name] => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); }
        catch (IOException) { } // a killed worker may still hold a file for a moment; the OS cleans temp anyway
    }
}
