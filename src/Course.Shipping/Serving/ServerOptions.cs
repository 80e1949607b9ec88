namespace Course.Shipping.Serving;

/// <summary>Where the completion server listens and how much it takes on.</summary>
public sealed record ServerOptions
{
    /// <summary>Loopback unless told otherwise: a model server on every interface is a decision to make, not a default.</summary>
    public string Host { get; init; } = "127.0.0.1";

    /// <summary>0 picks a free port (tests, chapters); the address is then read from the running server.</summary>
    public int Port { get; init; } = 8000;

    /// <summary>Generations running at once; one more is answered 429. On a CPU each one competes for the same cores.</summary>
    public int MaxConcurrentGenerations { get; init; } = 4;

    /// <summary>The largest max_tokens a request may ask for.</summary>
    public int MaxTokens { get; init; } = 512;

    /// <summary>How long shutdown waits for generations in progress to finish.</summary>
    public TimeSpan ShutdownTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Write ASP.NET Core's request log to the console (the CLI does; tests and chapters do not).</summary>
    public bool Log { get; init; }

    public ServerOptions Validate()
    {
        // Kestrel binds a name other than localhost to every interface: ask for an address, so that exposure is explicit.
        if (Host != "localhost" && !System.Net.IPAddress.TryParse(Host, out _))
            throw new UserError($"--host '{Host}' is not an IP address; give one such as 127.0.0.1 (this machine only) or 0.0.0.0 (every interface).");
        if (Port is < 0 or > 65535) throw new UserError($"--port must be between 0 and 65535 (got {Port}).");
        if (MaxConcurrentGenerations < 1) throw new UserError($"--max-concurrent must be at least 1 (got {MaxConcurrentGenerations}).");
        if (MaxTokens < 1) throw new UserError($"--max-tokens must be at least 1 (got {MaxTokens}).");
        return this;
    }
}
