namespace Proxy.Cli;

/// <summary>A failure proxyctl reports as one line on standard error with its exit code (never a stack trace).</summary>
public sealed class CliException : Exception
{
    public CliException(int exitCode, string message)
        : base(message)
    {
        ExitCode = exitCode;
    }

    public CliException()
        : this(ExitCodes.Invalid, "proxyctl failed")
    {
    }

    public CliException(string message)
        : this(ExitCodes.Invalid, message)
    {
    }

    public CliException(string message, Exception innerException)
        : base(message, innerException)
    {
        ExitCode = ExitCodes.Invalid;
    }

    /// <summary>The process's exit code.</summary>
    public int ExitCode { get; }
}
