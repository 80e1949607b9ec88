namespace Course.Tests.Data;

/// <summary>A fresh folder for one test, removed afterwards, so tests never share or leave files.</summary>
public sealed class TempDirectory : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("course-test-").FullName;

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); }
        catch (IOException) { /* a file still open on a slow CI machine; the OS cleans temp eventually */ }
    }
}
