using System.Text;
using System.Text.Json.Nodes;
using Course.Notebooks.Kernel;

namespace Course.Notebooks.Tests;

/// <summary>The kernel's security model: HMAC-SHA256 signatures as jupyter_client computes them, forged and
/// replayed messages refused, and connection files that would expose the kernel refused with one clear line.</summary>
public sealed class KernelSecurityTests
{
    private static readonly byte[] Key = Encoding.UTF8.GetBytes("course-secret");
    private static readonly byte[] Header = Encoding.UTF8.GetBytes("""{"msg_id":"1","msg_type":"kernel_info_request"}""");
    private static readonly byte[] Empty = Encoding.UTF8.GetBytes("{}");

    [Fact]
    public void Signs_as_python_hmac_does()
    {
        // hmac.new(b"course-secret", digestmod=sha256) updated with header, parent, metadata, content: Python's answer.
        Assert.Equal("d3adc269f5868a14d6d9c8859523101b5e1a3c60491e835299229b7e50e4428d", new MessageSigner(Key).Sign(Header, Empty, Empty, Empty));
    }

    [Fact]
    public void Verifies_its_signature_in_either_case_and_rejects_anything_else()
    {
        var signer = new MessageSigner(Key);
        var signature = signer.Sign(Header, Empty, Empty, Empty);
        Assert.True(signer.Verify(signature, Header, Empty, Empty, Empty));
        Assert.True(signer.Verify(signature.ToUpperInvariant(), Header, Empty, Empty, Empty));
        Assert.False(signer.Verify(signature, Header, Empty, Empty, Encoding.UTF8.GetBytes("""{"code":"1"}"""))); // content changed
        Assert.False(new MessageSigner(Encoding.UTF8.GetBytes("other")).Verify(signature, Header, Empty, Empty, Empty)); // wrong key
        Assert.False(signer.Verify(signature[..^2], Header, Empty, Empty, Empty)); // truncated
        Assert.False(signer.Verify("not hex", Header, Empty, Empty, Empty));
        Assert.False(signer.Verify("", Header, Empty, Empty, Empty));
        Assert.Throws<ArgumentException>(() => new MessageSigner([]));
    }

    [Fact]
    public void Wire_format_round_trips_and_refuses_forged_unsigned_and_replayed_messages()
    {
        var wire = new WireFormat(new MessageSigner(Key));
        var identity = new byte[] { 0, 1, 2, 3 };
        var sent = JupyterMessage.Create("execute_request", "session-1", new JsonObject { ["code"] = "1 + 1 // é ✓" }, null, [identity]);
        var frames = wire.Encode(sent);
        Assert.Equal(identity, frames[0]);
        Assert.Equal("<IDS|MSG>", Encoding.ASCII.GetString(frames[1]));

        var received = wire.Decode(frames, out var problem);
        Assert.NotNull(received);
        Assert.Equal("", problem);
        Assert.Equal(identity, Assert.Single(received.Identities));
        Assert.Equal("execute_request", received.MsgType);
        Assert.Equal("1 + 1 // é ✓", received.Content["code"]!.GetValue<string>());

        Assert.Null(wire.Decode(frames, out problem)); // the same message again
        Assert.Contains("replayed", problem);

        var forged = wire.Encode(JupyterMessage.Create("execute_request", "session-1", new JsonObject { ["code"] = "1" }, null));
        forged[^1] = Encoding.UTF8.GetBytes("""{"code":"System.IO.File.Delete(\"x\")"}""");
        Assert.Null(wire.Decode(forged, out problem));
        Assert.Contains("bad signature", problem);

        var unsigned = wire.Encode(JupyterMessage.Create("execute_request", "session-1", new JsonObject(), null));
        unsigned[1] = [];
        Assert.Null(wire.Decode(unsigned, out problem));
        Assert.Contains("unsigned", problem);

        Assert.Null(wire.Decode([Encoding.ASCII.GetBytes("hello")], out problem));
        Assert.Contains("not a Jupyter message", problem);
    }

    private static string ConnectionFile(string transport = "tcp", string ip = "127.0.0.1", string key = "a-secret", string scheme = "hmac-sha256") => $$"""
        {"transport": "{{transport}}", "ip": "{{ip}}", "shell_port": 50001, "iopub_port": 50002, "stdin_port": 50003,
         "control_port": 50004, "hb_port": 50005, "key": "{{key}}", "signature_scheme": "{{scheme}}", "kernel_name": "course-csharp"}
        """;

    [Fact]
    public void Accepts_a_loopback_connection_file()
    {
        var info = ConnectionInfo.Parse(ConnectionFile());
        Assert.Equal("tcp://127.0.0.1:50001", info.Endpoint(info.ShellPort));
        Assert.Equal(50005, info.HbPort);
        Assert.Equal("a-secret", Encoding.UTF8.GetString(info.Key));
        Assert.Equal("tcp://[::1]:50004", ConnectionInfo.Parse(ConnectionFile(ip: "::1")).Endpoint(50004));
    }

    [Theory]
    [InlineData("ipc", "127.0.0.1", "a-secret", "hmac-sha256", "transport is 'ipc'", "\"transport\": \"tcp\"")]
    [InlineData("tcp", "0.0.0.0", "a-secret", "hmac-sha256", "not a loopback address", "127.0.0.1")]
    [InlineData("tcp", "192.168.1.20", "a-secret", "hmac-sha256", "not a loopback address", "127.0.0.1")]
    [InlineData("tcp", "127.0.0.1", "", "hmac-sha256", "key is empty", "random secret")]
    [InlineData("tcp", "127.0.0.1", "a-secret", "hmac-md5", "signature_scheme is 'hmac-md5'", "hmac-sha256")]
    public void Refuses_an_unsafe_connection_file_with_one_line_naming_problem_and_fix(string transport, string ip, string key, string scheme, string problem, string fix)
    {
        var error = Assert.Throws<KernelStartupException>(() => ConnectionInfo.Parse(ConnectionFile(transport, ip, key, scheme), "kernel-1.json"));
        Assert.Contains(problem, error.Message);
        Assert.Contains(fix, error.Message);
        Assert.StartsWith("kernel-1.json", error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void Refuses_a_missing_or_malformed_connection_file()
    {
        Assert.Contains("Cannot read the connection file", Assert.Throws<KernelStartupException>(() => ConnectionInfo.Load("/no/such/kernel.json")).Message);
        Assert.Contains("not a JSON object", Assert.Throws<KernelStartupException>(() => ConnectionInfo.Parse("[1]")).Message);
        Assert.Contains("\"shell_port\"", Assert.Throws<KernelStartupException>(() => ConnectionInfo.Parse(ConnectionFile().Replace("50001", "\"x\""))).Message);
    }
}
