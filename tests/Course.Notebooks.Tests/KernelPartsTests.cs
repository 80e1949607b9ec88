using System.Text.Json.Nodes;
using Course.Notebooks.Kernel;

namespace Course.Notebooks.Tests;

/// <summary>Kernel pieces that the Jupyter-client tests cannot reach through the stub session: display messages,
/// cursor conversion, and the kernelspec's files.</summary>
public sealed class KernelPartsTests
{
    private sealed class Captured
    {
        public List<(Channel Channel, JupyterMessage Message)> Sent { get; } = [];
        public MessageSender Sender => new((channel, message) => Sent.Add((channel, message)), "kernel-session");
    }

    private static readonly JupyterMessage Request = JupyterMessage.Create("execute_request", "client", new JsonObject { ["code"] = "display(x)" }, null, [[7]]);

    [Fact]
    public void Display_is_display_data_and_an_update_is_update_display_data_with_the_display_id()
    {
        var captured = new Captured();
        var output = new ExecutionOutput(captured.Sender, Request, silent: false, allowStdin: false, new StdinBridge(captured.Sender), CancellationToken.None);
        var data = new JsonObject { ["text/plain"] = "step 1" };
        output.Display(data, new JsonObject(), "progress", update: false);
        output.Display(data, new JsonObject(), "progress", update: true);
        output.Display(data, new JsonObject(), null, update: false);
        output.Stream("stdout", "hi\n");

        Assert.All(captured.Sent, s => Assert.Equal(Channel.IOPub, s.Channel));
        Assert.All(captured.Sent, s => Assert.Equal(Request.MsgId, s.Message.ParentHeader["msg_id"]!.GetValue<string>()));
        Assert.Equal(["display_data", "update_display_data", "display_data", "stream"], captured.Sent.Select(s => s.Message.MsgType));
        Assert.Equal("progress", captured.Sent[0].Message.Content["transient"]!["display_id"]!.GetValue<string>());
        Assert.Equal("progress", captured.Sent[1].Message.Content["transient"]!["display_id"]!.GetValue<string>());
        Assert.Equal("step 1", captured.Sent[1].Message.Content["data"]!["text/plain"]!.GetValue<string>());
        Assert.Empty(captured.Sent[2].Message.Content["transient"]!.AsObject());
        Assert.Equal("stdout", captured.Sent[3].Message.Content["name"]!.GetValue<string>());
        Assert.Throws<ArgumentException>(() => output.Display(data, new JsonObject(), null, update: true));
        Assert.Null(output.ReadLine("name?", false)); // allow_stdin false: end of input, no input_request
        Assert.DoesNotContain(captured.Sent, s => s.Channel == Channel.Stdin);
    }

    [Fact]
    public void A_silent_request_publishes_no_output()
    {
        var captured = new Captured();
        var output = new ExecutionOutput(captured.Sender, Request, silent: true, allowStdin: false, new StdinBridge(captured.Sender), CancellationToken.None);
        output.Stream("stdout", "hi");
        output.Display(new JsonObject { ["text/plain"] = "x" }, new JsonObject(), "d", update: false);
        Assert.Empty(captured.Sent);
    }

    [Fact]
    public void Cursors_convert_between_code_points_and_utf16()
    {
        const string code = "var s = \"😀\"; s.Len"; // the emoji: one code point, two UTF-16 units
        Assert.Equal(19, code.Length); // 18 code points
        Assert.Equal(19, CodePoints.ToUtf16(code, 18));
        Assert.Equal(18, CodePoints.FromUtf16(code, 19));
        Assert.Equal(9, CodePoints.ToUtf16(code, 9)); // before the emoji nothing shifts
        Assert.Equal(11, CodePoints.ToUtf16(code, 10)); // after it, one more unit
        Assert.Equal(10, CodePoints.FromUtf16(code, 11));
        Assert.Equal(code.Length, CodePoints.ToUtf16(code, 1000)); // clamped
        Assert.Equal(0, CodePoints.FromUtf16(code, -5));
    }

    [Fact]
    public void Kernelspec_starts_this_build_and_installs_and_uninstalls_under_a_prefix()
    {
        using var folder = new TempFolder();
        var installed = KernelSpecInstaller.Install(new KernelSpecTarget.Prefix(folder.Path), "course-csharp-unit");
        Assert.Equal(Path.Combine(folder.Path, "share", "jupyter", "kernels", "course-csharp-unit"), installed);

        var spec = JsonNode.Parse(File.ReadAllText(Path.Combine(installed, "kernel.json")))!.AsObject();
        var argv = spec["argv"]!.AsArray().Select(a => a!.GetValue<string>()).ToList();
        Assert.Equal(["exec", typeof(KernelSpecInstaller).Assembly.Location, "kernel", "-f", "{connection_file}"], argv[1..]);
        Assert.True(Path.IsPathRooted(argv[0]) && File.Exists(argv[0]), $"the dotnet host {argv[0]} should be an absolute path that exists");
        Assert.Equal("C# (course)", spec["display_name"]!.GetValue<string>());
        Assert.Equal("csharp", spec["language"]!.GetValue<string>());
        Assert.Equal("message", spec["interrupt_mode"]!.GetValue<string>());
        foreach (var size in new[] { 32, 64 })
        {
            var png = File.ReadAllBytes(Path.Combine(installed, $"logo-{size}x{size}.png"));
            Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png[..4]);
            Assert.Equal(size, System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16))); // IHDR width
        }

        Assert.Equal(installed, KernelSpecInstaller.Install(new KernelSpecTarget.Prefix(folder.Path), "course-csharp-unit")); // replaces
        Assert.Equal(installed, KernelSpecInstaller.Uninstall(new KernelSpecTarget.Prefix(folder.Path), "course-csharp-unit"));
        Assert.False(Directory.Exists(installed));
        Assert.Throws<UserError>(() => KernelSpecInstaller.Uninstall(new KernelSpecTarget.Prefix(folder.Path), "course-csharp-unit"));
        Assert.Throws<UserError>(() => KernelSpecInstaller.Install(new KernelSpecTarget.Prefix(folder.Path), "../escape"));
    }
}
