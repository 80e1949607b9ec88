using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Course.Tests.Data;

/// <summary>
/// A real HTTP server on 127.0.0.1 for download tests: each request goes to the handler with its 1-based number,
/// and the Range header of every request is recorded.
/// </summary>
public sealed class LocalHttpServer : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly CancellationTokenSource _stop = new();
    private int _count;

    public LocalHttpServer(Func<HttpListenerContext, int, CancellationToken, Task> handler)
    {
        var port = FreePort();
        Url = new Uri($"http://127.0.0.1:{port}/file.txt");
        _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        _listener.Start();
        _ = Task.Run(async () =>
        {
            while (!_stop.IsCancellationRequested)
            {
                HttpListenerContext context;
                try { context = await _listener.GetContextAsync(); }
                catch (Exception) when (_stop.IsCancellationRequested) { return; }
                RangesInOrder.Enqueue(context.Request.Headers["Range"]);
                var number = Interlocked.Increment(ref _count);
                _ = Task.Run(async () =>
                {
                    try { await handler(context, number, _stop.Token); }
                    catch (Exception) { context.Response.Abort(); }
                });
            }
        });
    }

    public Uri Url { get; }

    /// <summary>The Range header of each request in arrival order (null when absent).</summary>
    public ConcurrentQueue<string?> RangesInOrder { get; } = new();

    /// <summary>Answers 200 with the whole body, or 206 with the rest when asked for a range.</summary>
    public static async Task Serve(HttpListenerContext context, byte[] body)
    {
        var start = 0L;
        var range = context.Request.Headers["Range"];
        if (range is not null && range.StartsWith("bytes=") && range.EndsWith('-'))
        {
            start = long.Parse(range["bytes=".Length..^1]);
            context.Response.StatusCode = 206;
            context.Response.Headers["Content-Range"] = $"bytes {start}-{body.Length - 1}/{body.Length}";
        }
        context.Response.ContentLength64 = body.Length - start;
        await context.Response.OutputStream.WriteAsync(body.AsMemory((int)start));
        context.Response.Close();
    }

    public static int FreePort()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Close();
    }
}
