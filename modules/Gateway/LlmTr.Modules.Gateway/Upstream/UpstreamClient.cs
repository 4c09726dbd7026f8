using System.Net.Sockets;

namespace LlmTr.Modules.Gateway.Upstream;

/// <summary>
/// The one pooled HTTP client every provider call goes through: connections are kept per upstream host, responses
/// are read as their headers arrive, and a request that could not even connect is tried once more. A retry happens
/// only before anything reached the client, so it can never duplicate output.
/// </summary>
internal sealed class UpstreamClient(HttpClient http)
{
    public const string Name = "llmtr-upstream";

    public async Task<HttpResponseMessage> SendAsync(Func<HttpRequestMessage> createRequest, CancellationToken cancellationToken)
    {
        try
        {
            using var first = createRequest();
            return await http.SendAsync(first, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        }
        catch (HttpRequestException e) when (IsConnectionFailure(e) && !cancellationToken.IsCancellationRequested)
        {
            using var second = createRequest();
            return await http.SendAsync(second, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        }
    }

    /// <summary>Refused, unreachable or reset before a response: the request cannot have been processed.</summary>
    private static bool IsConnectionFailure(HttpRequestException e) =>
        e.HttpRequestError is HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError or HttpRequestError.SecureConnectionError
        || e.InnerException is SocketException;
}
