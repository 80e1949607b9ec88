namespace Course.Data;

/// <summary>How <see cref="FileDownloader"/> behaves.</summary>
public sealed record DownloadOptions
{
    /// <summary>How long to wait for the server's answer and, after it, for each further piece of the body:
    /// a server that stops sending fails after this long rather than hanging forever.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Connection drops are retried, continuing where the file stopped, this many times in all.</summary>
    public int Attempts { get; init; } = 3;

    /// <summary>Accept a file whose expected SHA-256 is not known. Off by default: an unchecked download could be
    /// an error page, a truncated file or different data, and a run would silently train on it.</summary>
    public bool AllowUnverified { get; init; }

    /// <summary>Told about progress a few times a second and at the end.</summary>
    public IProgress<DownloadProgress>? Progress { get; init; }
}
