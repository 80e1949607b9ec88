using System.Diagnostics;
using System.Net.Http.Json;
using Xunit.Abstractions;

namespace Course.Tests.Shipping;

/// <summary>
/// A bounded load test on loopback: N clients send completions back to back for a fixed time, against a server that
/// allows N generations at once. No request may fail; latency percentiles and throughput are reported.
/// </summary>
public class LoadTests(ServingFixture fixture, ITestOutputHelper output) : IClassFixture<ServingFixture>
{
    [Theory]
    [InlineData("torchsharp")]
    [InlineData("onnxruntime")]
    public async Task Concurrent_clients_for_a_fixed_time_all_succeed(string backend)
    {
        const int clients = 4, maxTokens = 16;
        var duration = TimeSpan.FromSeconds(8);
        await using var server = await fixture.Start(backend == "onnxruntime" ? fixture.Onnx : fixture.Torch, maxConcurrent: clients);
        using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(1) };
        var clock = Stopwatch.StartNew();
        var results = await Task.WhenAll(Enumerable.Range(0, clients).Select(async client =>
        {
            var latencies = new List<double>();
            var failures = new List<string>();
            while (clock.Elapsed < duration)
            {
                var started = clock.Elapsed;
                using var response = await http.PostAsJsonAsync(new Uri(server.Address, "/v1/completions"),
                    new { prompt = "the 4 cat", max_tokens = maxTokens, temperature = 0.8, seed = client * 1000 + latencies.Count });
                var body = await response.Content.ReadAsStringAsync();
                if (response.IsSuccessStatusCode) latencies.Add((clock.Elapsed - started).TotalMilliseconds);
                else failures.Add($"{(int)response.StatusCode}: {body}");
            }
            return (latencies, failures);
        }));
        var elapsed = clock.Elapsed.TotalSeconds;
        var all = results.SelectMany(r => r.latencies).Order().ToList();
        var failed = results.SelectMany(r => r.failures).ToList();
        double Percentile(double p) => all[Math.Min(all.Count - 1, (int)Math.Ceiling(p * all.Count) - 1)];
        output.WriteLine($"load {backend}: {clients} clients, {elapsed:F1} s, {all.Count} requests of {maxTokens} tokens, {failed.Count} failed; " +
            $"p50 {Percentile(0.5):F0} ms, p99 {Percentile(0.99):F0} ms, {all.Count / elapsed:F1} requests/s, {all.Count * maxTokens / elapsed:F0} tokens/s");
        Assert.Empty(failed);
        Assert.True(all.Count >= clients, $"each client should finish at least one request; {all.Count} finished");
    }
}
