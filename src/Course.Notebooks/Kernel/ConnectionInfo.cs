using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Course.Notebooks.Kernel;

/// <summary>
/// A Jupyter connection file: where the five sockets listen and the key that signs every message.
/// Only what is safe on a shared machine is accepted: TCP on a loopback address, a non-empty key, HMAC-SHA256.
/// Anything else is refused with one line, since a kernel reachable from the network or accepting unsigned
/// messages would run anyone's code.
/// </summary>
public sealed record ConnectionInfo(
    string Ip, int ShellPort, int IOPubPort, int StdinPort, int ControlPort, int HbPort, byte[] Key)
{
    public const string SignatureScheme = "hmac-sha256";

    /// <summary>The ZeroMQ endpoint for <paramref name="port"/>; IPv6 addresses go in brackets.</summary>
    public string Endpoint(int port) =>
        IPAddress.Parse(Ip).AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"tcp://[{Ip}]:{port}" : $"tcp://{Ip}:{port}";

    public bool IsIPv6 => IPAddress.Parse(Ip).AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6;

    public static ConnectionInfo Load(string path)
    {
        string text;
        try { text = File.ReadAllText(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new KernelStartupException($"Cannot read the connection file {path} ({e.Message}); pass the file Jupyter wrote with --connection-file FILE.");
        }
        return Parse(text, path);
    }

    public static ConnectionInfo Parse(string json, string source = "the connection file")
    {
        JsonObject file;
        try { file = JsonNode.Parse(json) as JsonObject ?? throw new JsonException("not a JSON object"); }
        catch (JsonException e)
        {
            throw new KernelStartupException($"{source} is not a JSON object ({e.Message}); pass the connection file Jupyter wrote.");
        }

        var transport = Text(file, "transport", source, "tcp");
        if (transport != "tcp")
            throw new KernelStartupException($"{source}: transport is '{transport}' but this kernel only speaks 'tcp'; set \"transport\": \"tcp\".");

        var ip = Text(file, "ip", source, "127.0.0.1");
        if (ip == "localhost") ip = "127.0.0.1"; // the name is loopback by definition; ZeroMQ binds addresses
        if (!IPAddress.TryParse(ip, out var address) || !IPAddress.IsLoopback(address))
            throw new KernelStartupException($"{source}: ip is '{ip}', which is not a loopback address; this kernel listens on loopback only (set \"ip\": \"127.0.0.1\" and reach remote kernels through an SSH tunnel).");

        var scheme = Text(file, "signature_scheme", source, SignatureScheme);
        if (scheme != SignatureScheme)
            throw new KernelStartupException($"{source}: signature_scheme is '{scheme}' but this kernel signs with '{SignatureScheme}'; set \"signature_scheme\": \"{SignatureScheme}\".");

        var key = Text(file, "key", source, "");
        if (key.Length == 0)
            throw new KernelStartupException($"{source}: key is empty, so messages could not be authenticated; let Jupyter write the file (it generates a key) or set \"key\" to a random secret.");

        return new ConnectionInfo(ip,
            Port(file, "shell_port", source), Port(file, "iopub_port", source), Port(file, "stdin_port", source),
            Port(file, "control_port", source), Port(file, "hb_port", source),
            System.Text.Encoding.UTF8.GetBytes(key));
    }

    private static string Text(JsonObject file, string name, string source, string fallback)
    {
        var node = file[name];
        if (node is null) return fallback;
        return node is JsonValue value && value.TryGetValue<string>(out var text)
            ? text
            : throw new KernelStartupException($"{source}: \"{name}\" must be a string; pass the connection file Jupyter wrote.");
    }

    private static int Port(JsonObject file, string name, string source)
    {
        if (file[name] is JsonValue value && value.TryGetValue<int>(out var port) && port is > 0 and <= 65535) return port;
        throw new KernelStartupException($"{source}: \"{name}\" is missing or not a port number (1-65535); pass the connection file Jupyter wrote.");
    }
}
