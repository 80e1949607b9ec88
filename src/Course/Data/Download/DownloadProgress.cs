namespace Course.Data;

/// <summary>How far a download is, for a progress bar.</summary>
/// <param name="Bytes">Bytes of the file on disk so far, including any resumed from an earlier attempt.</param>
/// <param name="Total">The full size, when the server says it.</param>
/// <param name="BytesPerSecond">Average rate of this attempt.</param>
/// <param name="Eta">Estimated time left, when the size and a rate are known.</param>
public sealed record DownloadProgress(long Bytes, long? Total, double BytesPerSecond, TimeSpan? Eta);
