using System.Text;

namespace Course.Notebooks.Engine;

/// <summary>
/// Console.Out, Console.Error and Console.In of the process, routed to the output of the cell that runs now (or
/// ran last: threads a cell started keep printing after it ends, and their text goes where Jupyter sends it, to the
/// latest cell). Each write is passed on at once, so a long cell shows its progress live.
/// </summary>
internal sealed class ConsoleRouter : IDisposable
{
    private readonly (TextWriter Out, TextWriter Error, TextReader In) _original = (Console.Out, Console.Error, Console.In);
    private volatile ICellOutput? _current;

    public ConsoleRouter()
    {
        Console.SetOut(new Writer(this, "stdout"));
        Console.SetError(new Writer(this, "stderr"));
        Console.SetIn(new Reader(this));
    }

    public ICellOutput? Current
    {
        get => _current;
        set => _current = value;
    }

    public void Dispose()
    {
        Console.SetOut(_original.Out);
        Console.SetError(_original.Error);
        Console.SetIn(_original.In);
    }

    private sealed class Writer(ConsoleRouter router, string stream) : TextWriter
    {
        public override Encoding Encoding => Encoding.UTF8;

        public override void Write(char value) => Write(value.ToString());

        public override void Write(char[] buffer, int index, int count) => Write(new string(buffer, index, count));

        public override void Write(string? value)
        {
            if (!string.IsNullOrEmpty(value)) router.Current?.Stream(stream, value);
        }

        public override void WriteLine(string? value) => Write(value + NewLine);
    }

    /// <summary>Console.ReadLine asks the front end (Jupyter's input_request); no front end means end of input.</summary>
    private sealed class Reader(ConsoleRouter router) : TextReader
    {
        public override string? ReadLine() => router.Current?.ReadLine("", password: false);

        public override int Peek() => -1;

        public override int Read() => -1;
    }
}
