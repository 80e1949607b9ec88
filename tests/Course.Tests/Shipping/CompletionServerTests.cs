using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Course.Tests.Shipping;

/// <summary>The completion API through a real HTTP client, against the real server on a loopback port.</summary>
public class CompletionServerTests(ServingFixture fixture) : IClassFixture<ServingFixture>
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromMinutes(2) };

    [Fact]
    public async Task Health_and_page_are_served()
    {
        await using var server = await fixture.Start();
        Assert.Equal("127.0.0.1", server.Address.Host);
        var health = await Http.GetFromJsonAsync<JsonObject>(new Uri(server.Address, "/health"));
        Assert.Equal("ok", (string?)health!["status"]);
        Assert.Equal(16, (int)health["block_size"]!);
        var page = await Http.GetStringAsync(server.Address);
        Assert.Contains("<textarea id=\"prompt\"", page);
    }

    [Fact]
    public async Task A_completion_is_reproducible_by_seed_and_the_same_from_ONNX_Runtime()
    {
        await using var torch = await fixture.Start(fixture.Torch);
        await using var onnx = await fixture.Start(fixture.Onnx);
        var request = new { prompt = "the 3 cat", max_tokens = 24, temperature = 0.9, top_p = 0.95, seed = 42 };
        var first = await Complete(torch, request);
        var again = await Complete(torch, request);
        var fromOnnx = await Complete(onnx, request);
        var text = (string)first["choices"]![0]!["text"]!;
        Assert.Equal(text, (string)again["choices"]![0]!["text"]!);
        Assert.Equal(text, (string)fromOnnx["choices"]![0]!["text"]!);
        Assert.Equal(24, (int)first["usage"]!["completion_tokens"]!);
        Assert.Equal("text_completion", (string)first["object"]!);
        Assert.Equal("length", (string)first["choices"]![0]!["finish_reason"]!);
    }

    [Fact]
    public async Task Streaming_sends_the_same_text_as_events_then_done()
    {
        await using var server = await fixture.Start();
        var request = new { prompt = "the 1 cat", max_tokens = 20, temperature = 0.8, seed = 7 };
        var whole = (string)(await Complete(server, request))["choices"]![0]!["text"]!;
        var events = await StreamEvents(server, new { request.prompt, request.max_tokens, request.temperature, request.seed, stream = true });
        Assert.Equal("[DONE]", events[^1]);
        var chunks = events[..^1].Select(e => JsonNode.Parse(e)!).ToList();
        Assert.True(chunks.Count > 5, $"expected one event per token or so, got {chunks.Count}");
        Assert.Equal(whole, string.Concat(chunks.Select(c => (string)c["choices"]![0]!["text"]!)));
        Assert.Equal("length", (string)chunks[^1]["choices"]![0]!["finish_reason"]!);
    }

    [Theory]
    [InlineData("{\"prompt\": \"the\", ", null)]
    [InlineData("[1, 2]", null)]
    [InlineData("{\"max_tokens\": 4}", "prompt")]
    [InlineData("{\"prompt\": \"\"}", "prompt")]
    [InlineData("{\"prompt\": \"the cat sat on the mat. the cat\"}", "prompt")]
    [InlineData("{\"prompt\": \"the dog\"}", "prompt")]
    [InlineData("{\"prompt\": \"the\", \"max_tokens\": 0}", "max_tokens")]
    [InlineData("{\"prompt\": \"the\", \"max_tokens\": 100000}", "max_tokens")]
    [InlineData("{\"prompt\": \"the\", \"max_tokens\": 2.5}", "max_tokens")]
    [InlineData("{\"prompt\": \"the\", \"temperature\": -1}", "temperature")]
    [InlineData("{\"prompt\": \"the\", \"temperature\": \"hot\"}", "temperature")]
    [InlineData("{\"prompt\": \"the\", \"top_p\": 1.5}", "top_p")]
    [InlineData("{\"prompt\": \"the\", \"seed\": -3}", "seed")]
    [InlineData("{\"prompt\": \"the\", \"stream\": \"yes\"}", "stream")]
    public async Task Bad_requests_get_400_with_a_JSON_error_naming_the_field(string body, string? parameter)
    {
        await using var server = await fixture.Start();
        using var response = await Http.PostAsync(new Uri(server.Address, "/v1/completions"), new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!;
        Assert.False(string.IsNullOrWhiteSpace((string?)error["message"]));
        Assert.Equal(parameter, (string?)error["param"]);
    }

    [Fact]
    public async Task Past_the_concurrency_limit_a_request_gets_429_and_the_running_one_finishes()
    {
        await using var server = await fixture.Start(maxConcurrent: 1);
        var (running, firstEvent) = StartStreaming(server, max_tokens: 200);
        await firstEvent;
        using var refused = await Http.PostAsJsonAsync(new Uri(server.Address, "/v1/completions"), new { prompt = "the", max_tokens = 2 });
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("rate_limit_error", (string?)JsonNode.Parse(await refused.Content.ReadAsStringAsync())!["error"]!["type"]);
        Assert.Equal("[DONE]", (await running)[^1]);
        using var later = await Http.PostAsJsonAsync(new Uri(server.Address, "/v1/completions"), new { prompt = "the", max_tokens = 2 });
        Assert.Equal(HttpStatusCode.OK, later.StatusCode);
    }

    [Fact]
    public async Task Stopping_lets_a_generation_in_progress_finish_and_then_refuses_connections()
    {
        var server = await fixture.Start();
        var (running, firstEvent) = StartStreaming(server, max_tokens: 150);
        await firstEvent;
        await server.StopAsync();
        var events = await running;
        Assert.Equal("[DONE]", events[^1]);
        Assert.Equal(150, (int)JsonNode.Parse(events[^2])!["usage"]!["completion_tokens"]!);
        await Assert.ThrowsAsync<HttpRequestException>(() => Http.GetAsync(new Uri(server.Address, "/health")));
        await server.DisposeAsync();
    }

    internal static async Task<JsonNode> Complete(Course.Shipping.Serving.CompletionServer server, object request)
    {
        using var response = await Http.PostAsJsonAsync(new Uri(server.Address, "/v1/completions"), request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        return JsonNode.Parse(body)!;
    }

    /// <summary>The data of every server-sent event, in order; <paramref name="first"/> completes when the first arrives.</summary>
    private static async Task<string[]> StreamEvents(Course.Shipping.Serving.CompletionServer server, object request, TaskCompletionSource? first = null)
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, new Uri(server.Address, "/v1/completions")) { Content = JsonContent.Create(request) };
        using var response = await Http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var events = new List<string>();
        while (await reader.ReadLineAsync() is string line)
        {
            if (!line.StartsWith("data: ", StringComparison.Ordinal)) continue;
            events.Add(line["data: ".Length..]);
            first?.TrySetResult();
        }
        return [.. events];
    }

    private static (Task<string[]> Events, Task FirstEvent) StartStreaming(Course.Shipping.Serving.CompletionServer server, int max_tokens)
    {
        var first = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var events = StreamEvents(server, new { prompt = "the", max_tokens, stream = true, seed = 1 }, first);
        return (events, Task.WhenAny(first.Task, events).Unwrap());
    }
}
