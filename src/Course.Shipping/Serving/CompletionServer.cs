using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Course.Shipping.Serving;

/// <summary>
/// An ASP.NET Core minimal API in front of a model: <c>POST /v1/completions</c> (OpenAI's completions shape, streamed as
/// server-sent events when asked), <c>GET /health</c>, and a page at <c>/</c> to try prompts. Bad requests get 400 with a
/// JSON error, a generation beyond the concurrency limit gets 429, and stopping waits for generations in progress.
/// </summary>
public sealed class CompletionServer : IAsyncDisposable
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    private readonly WebApplication _app;
    private readonly ICompletionModel _model;
    private readonly ServerOptions _options;
    private readonly SemaphoreSlim _slots;

    private CompletionServer(WebApplication app, ICompletionModel model, ServerOptions options)
    {
        (_app, _model, _options) = (app, model, options);
        _slots = new SemaphoreSlim(options.MaxConcurrentGenerations);
        app.MapGet("/", () => Results.Content(Page.Value, "text/html; charset=utf-8"));
        app.MapGet("/health", () => Results.Json(new
        {
            status = "ok", model = model.Name, backend = model.Backend, block_size = model.BlockSize,
            max_tokens = options.MaxTokens, active_generations = options.MaxConcurrentGenerations - _slots.CurrentCount,
        }, Json));
        app.MapPost("/v1/completions", Complete);
    }

    /// <summary>The address the server listens on, e.g. http://127.0.0.1:8000 (with the real port when Port was 0).</summary>
    public Uri Address { get; private set; } = null!;

    /// <summary>Starts serving <paramref name="model"/> (which the server does not dispose).</summary>
    public static async Task<CompletionServer> StartAsync(ICompletionModel model, ServerOptions options, CancellationToken cancellation = default)
    {
        options.Validate();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://{options.Host}:{options.Port}");
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = 1 << 20);
        builder.Services.Configure<HostOptions>(h => h.ShutdownTimeout = options.ShutdownTimeout);
        if (!options.Log) builder.Logging.ClearProviders();
        // The host would log a failure to start (a port in use) with its stack trace; it reaches the caller as an
        // exception instead, which the command line reports in one line.
        else builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.None);
        var server = new CompletionServer(builder.Build(), model, options);
        try { await server._app.StartAsync(cancellation); }
        catch (IOException e)
        {
            await server.DisposeAsync();
            throw new UserError($"Cannot listen on {options.Host}:{options.Port} ({e.Message}). Choose another --port, or stop what uses it.", e);
        }
        var address = server._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.Address = new Uri(address);
        return server;
    }

    /// <summary>Stops taking requests, lets generations in progress finish (up to the shutdown timeout), then stops.</summary>
    public Task StopAsync(CancellationToken cancellation = default) => _app.StopAsync(cancellation);

    /// <summary>Completes when the server has stopped (Ctrl+C or SIGTERM in the CLI).</summary>
    public Task WaitForShutdownAsync() => _app.WaitForShutdownAsync();

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        _slots.Dispose();
    }

    private async Task Complete(HttpContext context)
    {
        CompletionRequest request;
        try
        {
            using var reader = new StreamReader(context.Request.Body);
            request = CompletionRequest.Parse(await reader.ReadToEndAsync(context.RequestAborted), _model, _options.MaxTokens);
        }
        catch (RequestException e)
        {
            await Error(context, StatusCodes.Status400BadRequest, e.Message, "invalid_request_error", e.Parameter);
            return;
        }
        catch (BadHttpRequestException e)
        {
            await Error(context, e.StatusCode, e.Message, "invalid_request_error", null);
            return;
        }
        if (!_slots.Wait(0))
        {
            context.Response.Headers.RetryAfter = "1";
            await Error(context, StatusCodes.Status429TooManyRequests,
                $"The server is already running {_options.MaxConcurrentGenerations} generations; retry shortly.", "rate_limit_error", null);
            return;
        }
        try
        {
            if (request.Stream) await Stream(context, request);
            else await Whole(context, request);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away; its generation stops here.
        }
        finally
        {
            _slots.Release();
        }
    }

    private async Task Whole(HttpContext context, CompletionRequest request)
    {
        var deltas = new TextDeltas(_model.Tokenizer);
        var count = 0;
        await foreach (var token in Tokens(request, context.RequestAborted))
        {
            deltas.Add(token);
            count++;
        }
        await context.Response.WriteAsJsonAsync(Response(request, deltas.Text, "length", count), Json, context.RequestAborted);
    }

    private async Task Stream(HttpContext context, CompletionRequest request)
    {
        context.Response.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        var deltas = new TextDeltas(_model.Tokenizer);
        async Task Send(object payload)
        {
            await context.Response.WriteAsync($"data: {JsonSerializer.Serialize(payload, Json)}\n\n", context.RequestAborted);
            await context.Response.Body.FlushAsync(context.RequestAborted);
        }
        var count = 0;
        await foreach (var token in Tokens(request, context.RequestAborted))
        {
            count++;
            var text = deltas.Add(token);
            if (text.Length > 0) await Send(Response(request, text, null, null));
        }
        await Send(Response(request, deltas.Rest(), "length", count));
        await context.Response.WriteAsync("data: [DONE]\n\n", context.RequestAborted);
    }

    /// <summary>The tokens of a request, each computed on a worker thread so that the server's threads stay free.</summary>
    private async IAsyncEnumerable<int> Tokens(CompletionRequest request, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellation)
    {
        using var tokens = _model.Continue(request.PromptTokens, request.MaxTokens, request.Sampler, request.Seed).GetEnumerator();
        while (await Task.Run(tokens.MoveNext, cancellation))
        {
            cancellation.ThrowIfCancellationRequested();
            yield return tokens.Current;
        }
    }

    private object Response(CompletionRequest request, string text, string? finishReason, int? completionTokens) => new
    {
        id = request.Id,
        @object = "text_completion",
        created = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
        model = _model.Name,
        choices = new[] { new { text, index = 0, finish_reason = finishReason } },
        usage = completionTokens is int n ? new { prompt_tokens = request.PromptTokens.Length, completion_tokens = n, total_tokens = request.PromptTokens.Length + n } : null,
    };

    private static Task Error(HttpContext context, int status, string message, string type, string? parameter)
    {
        context.Response.StatusCode = status;
        return context.Response.WriteAsJsonAsync(new { error = new { message, type, param = parameter } }, Json);
    }

    private static readonly Lazy<string> Page = new(() =>
    {
        using var stream = typeof(CompletionServer).Assembly.GetManifestResourceStream("Course.Shipping.Serving.index.html")!;
        return new StreamReader(stream).ReadToEnd();
    });
}
