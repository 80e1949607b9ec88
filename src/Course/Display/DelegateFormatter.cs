using Microsoft.DotNet.Interactive.Formatting;

namespace Course.Display;

/// <summary>One MIME type of a course type's display: writes what <paramref name="format"/> returns. The types list
/// theirs in an <see cref="ITypeFormatterSource"/> named by their [TypeFormatterSource] attribute.</summary>
internal sealed class DelegateFormatter<T>(string mimeType, Func<T, string> format) : TypeFormatter<T>
{
    public override string MimeType => mimeType;

    public override bool Format(T value, FormatContext context)
    {
        context.Writer.Write(format(value));
        return true;
    }
}
