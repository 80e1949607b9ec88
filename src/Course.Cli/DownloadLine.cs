using Course.Data;
using Spectre.Console;

namespace Course.Cli;

/// <summary>Download progress as a line per update: bytes, percentage, rate and time left.</summary>
public static class DownloadLine
{
    public static void Print(DownloadProgress p)
    {
        var percent = p.Total is long total && total > 0 ? $" ({100.0 * p.Bytes / total:F0}%)" : "";
        var eta = p.Eta is TimeSpan t ? $", {t:mm\\:ss} left" : "";
        Lines.Write($"  downloading: {p.Bytes / 1e6:F1} MB{percent} at {p.BytesPerSecond / 1e6:F1} MB/s{eta}");
    }
}
