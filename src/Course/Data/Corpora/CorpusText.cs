namespace Course.Data;

/// <summary>A training corpus as plain text.</summary>
/// <param name="Name">The catalog name, or the file path it was read from.</param>
/// <param name="Text">The whole text.</param>
/// <param name="Sha256">Lower-case hex SHA-256 of the UTF-8 file the text was read from, so a run can record exactly what it trained on.</param>
/// <param name="Bytes">Size of that file in bytes.</param>
/// <param name="Source">Where the text came from (file path, SDK pack version, download address), for logs and run records.</param>
public sealed record CorpusText(string Name, string Text, string Sha256, long Bytes, string Source);
