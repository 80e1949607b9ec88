using System.Reflection;
using System.Text.Json.Nodes;

namespace Course.Notebooks.Kernel;

/// <summary>kernel_info_reply: who this kernel is and the language it speaks, for front ends' highlighting and
/// file extensions.</summary>
public static class KernelInfo
{
    public const string Implementation = "course-csharp"; // the implementation, whatever name the kernelspec is installed under

    public static JsonObject Content() => new()
    {
        ["status"] = "ok",
        ["protocol_version"] = MessageHeader.ProtocolVersion,
        ["implementation"] = Implementation,
        ["implementation_version"] = Version(),
        // The same language_info the project's notebooks carry, so a front end sees no change when it connects.
        ["language_info"] = KernelIdentity.LanguageInfo(),
        ["banner"] = $"C# (course) kernel: Roslyn scripting on .NET {Environment.Version}",
        ["help_links"] = new JsonArray
        {
            new JsonObject { ["text"] = "C# documentation", ["url"] = "https://learn.microsoft.com/dotnet/csharp/" },
            new JsonObject { ["text"] = ".NET API browser", ["url"] = "https://learn.microsoft.com/dotnet/api/" },
        },
        ["debugger"] = false,
    };

    private static string Version()
    {
        var version = typeof(KernelInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
        return version.Split('+')[0]; // drop the source revision the SDK appends
    }
}
