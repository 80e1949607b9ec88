using Spectre.Console;

namespace Course.Cli;

/// <summary>
/// One line of output written as Spectre markup. On a terminal Spectre renders it, colours included; when output is
/// redirected (logs, CI) it is written as plain text on one line, since Spectre would wrap it at an assumed width and
/// split paths and names.
/// </summary>
public static class Lines
{
    public static void Write(string markup)
    {
        if (Console.IsOutputRedirected) Console.WriteLine(Markup.Remove(markup));
        else AnsiConsole.Console.MarkupLine(markup);
    }
}
