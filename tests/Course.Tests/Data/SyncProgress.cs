namespace Course.Tests.Data;

/// <summary>Reports on the calling thread, so a test's list of reports is complete when the work returns
/// (<see cref="Progress{T}"/> posts to the thread pool, later).</summary>
internal sealed class SyncProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
