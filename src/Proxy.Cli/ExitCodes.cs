using System.Net;

namespace Proxy.Cli;

/// <summary>proxyctl's exit codes; documented in docs/cli.md and part of its contract with pipelines.</summary>
public static class ExitCodes
{
    /// <summary>Done.</summary>
    public const int Success = 0;

    /// <summary>Refused as invalid (400, 404, 413, 415, 422), a watched rollout that ended RolledBack or Aborted, or a file that fails lint.</summary>
    public const int Invalid = 1;

    /// <summary>The command line itself is wrong.</summary>
    public const int Usage = 2;

    /// <summary>A conflict: a stale If-Match (412) or a change that does not apply to the state in force (409).</summary>
    public const int Conflict = 3;

    /// <summary>No key, a wrong key (401) or a key without the role (403).</summary>
    public const int Auth = 4;

    /// <summary>The server cannot be reached, or answered 5xx.</summary>
    public const int Unavailable = 5;

    /// <summary>The exit code of an admin API answer that is not a success.</summary>
    public static int Of(HttpStatusCode status) => (int)status switch
    {
        401 or 403 => Auth,
        409 or 412 => Conflict,
        >= 500 => Unavailable,
        _ => Invalid,
    };
}
