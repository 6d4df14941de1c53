using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Proxy.Cli.Client;

namespace Proxy.Cli.Connection;

/// <summary>Where the admin API is and how to authenticate to it, once flags, environment and context are resolved.</summary>
/// <param name="Server">The admin API's address.</param>
/// <param name="Key">The API key, or null (the API then answers 401).</param>
/// <param name="CaFile">A PEM file of the CA to trust for HTTPS instead of the system's, or null.</param>
public sealed record ConnectionSettings(Uri Server, string? Key, string? CaFile)
{
    /// <summary>How long one call may take before the server counts as unreachable.</summary>
    public static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(30);

    /// <summary>A client of the admin API with these settings.</summary>
    public AdminClient CreateClient()
    {
        var handler = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(2), ConnectTimeout = TimeSpan.FromSeconds(10) };
        if (CaFile is not null)
        {
            var authorities = LoadAuthorities(CaFile);
            handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, errors) => Trusts(authorities, certificate, errors);
        }

        var http = new HttpClient(handler) { BaseAddress = Server, Timeout = Timeout.InfiniteTimeSpan };
        http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("proxyctl", typeof(ConnectionSettings).Assembly.GetName().Version?.ToString(3)));
        if (Key is not null)
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Key);
        }

        return new AdminClient(http, CallTimeout);
    }

    private static X509Certificate2Collection LoadAuthorities(string caFile)
    {
        var authorities = new X509Certificate2Collection();
        try
        {
            authorities.ImportFromPemFile(caFile);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
        {
            throw new CliException(ExitCodes.Usage, $"cannot read the CA file {caFile}: {ex.Message}");
        }

        return authorities.Count > 0 ? authorities : throw new CliException(ExitCodes.Usage, $"the CA file {caFile} holds no PEM certificate");
    }

    // The name must still match; only the chain is built on the given authorities instead of the system's.
    private static bool Trusts(X509Certificate2Collection authorities, X509Certificate? certificate, SslPolicyErrors errors)
    {
        if (certificate is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch) || errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable))
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(authorities);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var leaf = new X509Certificate2(certificate);
        return chain.Build(leaf);
    }
}
