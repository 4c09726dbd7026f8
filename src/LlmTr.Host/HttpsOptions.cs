namespace LlmTr.Host;

/// <summary>
/// Whether this host redirects plain HTTP to HTTPS. Off by default: the site usually sits behind a proxy that ends TLS
/// (and redirects itself); turn it on when the host serves HTTPS itself.
/// </summary>
internal sealed class HttpsOptions
{
    public const string Section = "Https";

    public bool RedirectToHttps { get; set; }
}
