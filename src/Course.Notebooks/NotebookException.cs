namespace Course.Notebooks;

/// <summary>A problem with a notebook that its author must fix; the message says what and how.</summary>
public sealed class NotebookException(string message) : UserError(message);
