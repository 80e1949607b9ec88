using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;

namespace Course.Data;

/// <summary>
/// Downloads one file so that the target path only ever holds a complete, verified file. Bytes go to
/// &lt;file&gt;.partial; after an interruption the next attempt asks for the rest with an HTTP Range request
/// (appending on 206 Partial Content, starting over on 200 OK); the SHA-256 is checked before the partial file is
/// renamed to the target.
/// </summary>
public static class FileDownloader
{
    public const string PartialSuffix = ".partial";

    private const int BufferSize = 1 << 16;
    private static readonly TimeSpan ProgressInterval = TimeSpan.FromMilliseconds(200);

    // One client for the process, as HttpClient is meant to be used; time limits are applied per read below,
    // since HttpClient.Timeout does not cover reading a streamed body.
    private static readonly HttpClient Client = new(new SocketsHttpHandler { AutomaticDecompression = DecompressionMethods.None })
    {
        Timeout = System.Threading.Timeout.InfiniteTimeSpan,
        DefaultRequestHeaders = { UserAgent = { new ProductInfoHeaderValue("Course", "1.0") } },
    };

    /// <summary>
    /// Downloads <paramref name="url"/> to <paramref name="destination"/>, checking it against <paramref name="sha256"/>
    /// (lower-case hex; null when unknown, which needs <see cref="DownloadOptions.AllowUnverified"/>).
    /// </summary>
    /// <returns>The SHA-256 of the accepted file.</returns>
    /// <exception cref="CorpusException">Refused, unreachable, timed out or wrong checksum; the message says where to put the file by hand.</exception>
    public static async Task<string> DownloadAsync(Uri url, string destination, string? sha256, DownloadOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        options ??= new DownloadOptions();
        destination = Path.GetFullPath(destination);
        if (sha256 is null && !options.AllowUnverified)
            throw new CorpusException(
                $"No checksum is known for {url}, so a download could not be verified and is refused. Allow it explicitly " +
                $"(--allow-unverified, DownloadOptions.AllowUnverified) and record the SHA-256 it reports, or put the file by hand at {destination}.");
        Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
        var partial = destination + PartialSuffix;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await TransferAsync(url, partial, options, cancellationToken);
                break;
            }
            catch (Exception e) when (IsInterruption(e) && attempt < options.Attempts)
            {
                // The partial file keeps what arrived; the next attempt asks for the rest. A stalled server is not
                // retried: it would only multiply the wait.
            }
            catch (Exception e) when (e is HttpRequestException or IOException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
            {
                var why = e is OperationCanceledException ? $"the server sent nothing for {options.Timeout.TotalSeconds:0.#} s" : e.Message;
                throw new CorpusException($"Downloading {url} failed: {why}. What arrived is kept in {partial} and the next try continues from it. " +
                    ByHand(destination, sha256), e);
            }
        }
        var actual = await HashFileAsync(partial, cancellationToken);
        if (sha256 is not null && !actual.Equals(sha256, StringComparison.OrdinalIgnoreCase))
        {
            File.Delete(partial);
            throw new CorpusException($"The download of {url} has SHA-256 {actual}, not the expected {sha256}; the partial file {partial} was deleted. " +
                "Try again; if it keeps failing the file on the server has changed. " + ByHand(destination, sha256));
        }
        File.Move(partial, destination, overwrite: false);
        return actual;
    }

    private static async Task TransferAsync(Uri url, string partial, DownloadOptions options, CancellationToken cancellationToken)
    {
        using var stall = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var have = File.Exists(partial) ? new FileInfo(partial).Length : 0;
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (have > 0) request.Headers.Range = new RangeHeaderValue(have, null);
        stall.CancelAfter(options.Timeout);
        using var response = await Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, stall.Token);
        if (response.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable)
        {
            // The partial file is not a prefix of what the server has (e.g. longer): it cannot be continued.
            File.Delete(partial);
            throw new IOException($"the server could not continue from byte {have}; starting over");
        }
        if (!response.IsSuccessStatusCode)
            throw new HttpRequestException($"the server answered {(int)response.StatusCode} {response.ReasonPhrase}", null, response.StatusCode);
        // 206 continues our bytes only when it starts exactly where they end; anything else is the whole file again.
        var resumes = response.StatusCode == HttpStatusCode.PartialContent && response.Content.Headers.ContentRange?.From == have;
        if (!resumes) have = 0;
        var total = response.Content.Headers.ContentRange?.Length ?? (response.Content.Headers.ContentLength + have);

        await using var file = new FileStream(partial, resumes ? FileMode.Append : FileMode.Create, FileAccess.Write, FileShare.None, BufferSize, useAsync: true);
        await using var body = await response.Content.ReadAsStreamAsync(stall.Token);
        var buffer = new byte[BufferSize];
        var clock = Stopwatch.StartNew();
        var lastReport = TimeSpan.Zero;
        var received = 0L;
        while (true)
        {
            stall.CancelAfter(options.Timeout);
            var n = await body.ReadAsync(buffer, stall.Token);
            if (n == 0) break;
            await file.WriteAsync(buffer.AsMemory(0, n), cancellationToken);
            received += n;
            if (clock.Elapsed - lastReport >= ProgressInterval)
            {
                lastReport = clock.Elapsed;
                Report(options.Progress, have + received, total, received, clock.Elapsed);
            }
        }
        await file.FlushAsync(cancellationToken);
        file.Flush(flushToDisk: true);
        if (total is { } expected && have + received != expected)
            throw new IOException($"the connection closed after {have + received} of {expected} bytes");
        Report(options.Progress, have + received, total, received, clock.Elapsed);
    }

    private static void Report(IProgress<DownloadProgress>? progress, long bytes, long? total, long received, TimeSpan elapsed)
    {
        if (progress is null) return;
        var rate = elapsed.TotalSeconds > 0 ? received / elapsed.TotalSeconds : 0;
        TimeSpan? eta = total is { } t && rate > 0 ? TimeSpan.FromSeconds(Math.Max(0, t - bytes) / rate) : null;
        progress.Report(new DownloadProgress(bytes, total, rate, eta));
    }

    /// <summary>A dropped connection or a stalled body: worth another attempt that continues the file.</summary>
    private static bool IsInterruption(Exception e) => e is IOException || e is HttpRequestException { InnerException: IOException };

    internal static async Task<string> HashFileAsync(string path, CancellationToken cancellationToken)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, BufferSize, useAsync: true);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken));
    }

    /// <summary>The manual fallback: where the file goes and how it will be checked.</summary>
    internal static string ByHand(string destination, string? sha256) =>
        $"To provide it by hand, put the file at {destination}" + (sha256 is null ? "." : $" (its SHA-256 must be {sha256}).");
}
