using System.Net;

namespace Proxy.Cli.Client;

/// <summary>The admin API answered with an error; <see cref="Exception.Message"/> is its problem details as one line.</summary>
public sealed class AdminApiException : Exception
{
    public AdminApiException(HttpStatusCode status, string message)
        : base(message)
    {
        Status = status;
    }

    public AdminApiException()
    {
    }

    public AdminApiException(string message)
        : base(message)
    {
    }

    public AdminApiException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public HttpStatusCode Status { get; }

    /// <summary>proxyctl's exit code for this answer.</summary>
    public int ExitCode => ExitCodes.Of(Status);
}
