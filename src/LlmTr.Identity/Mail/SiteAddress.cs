using LlmTr.SharedKernel;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace LlmTr.Identity.Mail;

/// <summary>
/// <c>Site:PublicBaseUrl</c> when set (required outside Development and the local demo); otherwise the first address
/// this host listens on, so links in the dev mailbox open the local site. Never the request's Host header, which a
/// client chooses.
/// </summary>
internal sealed class SiteAddress(IOptions<SiteOptions> options, IServiceProvider services) : ISiteAddress
{
    public Uri For(string pathAndQuery)
    {
        ArgumentException.ThrowIfNullOrEmpty(pathAndQuery);
        if (!pathAndQuery.StartsWith('/') || pathAndQuery.StartsWith("//", StringComparison.Ordinal))
        {
            throw new ArgumentException("A local path starting with one '/' is expected.", nameof(pathAndQuery));
        }

        return new Uri(Base().TrimEnd('/') + pathAndQuery, UriKind.Absolute);
    }

    private string Base()
    {
        if (options.Value.PublicBaseUrl is { Length: > 0 } configured)
        {
            return configured;
        }

        var listening = (services.GetService(typeof(IServer)) as IServer)?.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault();
        return listening is null ? "http://localhost"
            : listening.Replace("://[::]", "://localhost", StringComparison.Ordinal)
                .Replace("://0.0.0.0", "://localhost", StringComparison.Ordinal)
                .Replace("://+", "://localhost", StringComparison.Ordinal)
                .Replace("://*", "://localhost", StringComparison.Ordinal);
    }
}
