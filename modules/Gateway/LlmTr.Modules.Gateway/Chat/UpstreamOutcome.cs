using System.Net;
using System.Text.Json;
using LlmTr.Modules.Gateway.Protocols;
using LlmTr.Modules.Catalog.Contracts;
using LlmTr.SharedKernel;

namespace LlmTr.Modules.Gateway.Chat;

/// <summary>
/// How the upstream failures of the public error table are told to the client: never with a provider credential, an
/// internal address or a stack trace, always naming the model.
/// </summary>
internal static class UpstreamFailures
{
    private const int MaxProviderMessage = 500;

    public static GatewayError Unreachable(CatalogModel model) =>
        GatewayError.Of(ApiErrors.ProviderUnreachable, $"The provider of '{model.Id}' could not be reached. Try again, or use another model.");

    public static GatewayError TimedOut(CatalogModel model, TimeSpan timeout) =>
        GatewayError.Of(ApiErrors.ProviderTimeout, $"The provider of '{model.Id}' did not answer within {timeout.TotalSeconds:0} s.");

    public static GatewayError Malformed(CatalogModel model) =>
        GatewayError.Of(ApiErrors.ProviderBadResponse, $"The provider of '{model.Id}' sent an answer that could not be read.");

    public static GatewayError StreamCut(CatalogModel model) =>
        GatewayError.Of(ApiErrors.ProviderStreamInterrupted, $"The provider of '{model.Id}' ended the stream before the answer was complete.");

    public static GatewayError StreamStalled(CatalogModel model, TimeSpan idle) =>
        GatewayError.Of(ApiErrors.ProviderTimeout, $"The provider of '{model.Id}' sent nothing for {idle.TotalSeconds:0} s; the stream was ended.");

    /// <summary>
    /// Why a successful upstream answer could not be read, or null for an exception that is not the provider's doing
    /// (the client went away, or a defect): a body that is not the protocol's shape or breaks off is unreadable, a
    /// deadline that passed while reading is a timeout, a connection that failed is an unreachable provider.
    /// </summary>
    public static GatewayError? WhileReading(Exception exception, CatalogModel model, TimeSpan timeout, CancellationToken clientAborted) => exception switch
    {
        JsonException or UpstreamProtocolException or IOException => Malformed(model), // IOException: HttpIOException mid-body
        OperationCanceledException when !clientAborted.IsCancellationRequested => TimedOut(model, timeout),
        HttpRequestException => Unreachable(model),
        _ => null,
    };

    /// <summary>An upstream HTTP error status, told in the table's terms.</summary>
    public static GatewayError FromStatus(CatalogModel model, HttpStatusCode status, string? providerMessage, IEnumerable<string> secrets) => (int)status switch
    {
        429 => GatewayError.Of(ApiErrors.RateLimitExceeded, $"The provider of '{model.Id}' is rate-limiting requests. Retry later, or use another model."),
        400 or 404 or 409 or 413 or 422 => GatewayError.Quoting(
            ApiErrors.ProviderRejectedRequest, $"The provider of '{model.Id}' rejected the request", Scrub(providerMessage, secrets) ?? $"HTTP {(int)status}"),
        401 or 403 => GatewayError.Of(ApiErrors.ProviderAuthError, $"The provider of '{model.Id}' refused LLMTR's credentials. This is on our side; try again later or use another model."),
        _ => GatewayError.Of(ApiErrors.ProviderError, $"The provider of '{model.Id}' failed (HTTP {(int)status}). Try again, or use another model."),
    };

    /// <summary>Whether another model may be tried: the provider failed, rather than the request being wrong.</summary>
    public static bool AllowsFallback(GatewayError error) => error.Status is 429 or 502;

    /// <summary>A provider's own message, cut short and with anything secret or internal taken out.</summary>
    public static string? Scrub(string? message, IEnumerable<string> secrets)
    {
        if (string.IsNullOrWhiteSpace(message))
        {
            return null;
        }

        foreach (var secret in secrets.Where(s => s.Length >= 4))
        {
            message = message.Replace(secret, "[redacted]", StringComparison.Ordinal);
        }

        return message.Length > MaxProviderMessage ? message[..MaxProviderMessage] + "…" : message;
    }
}
