using System.Globalization;
using System.Text.Json;
using LlmTr.Modules.Catalog.Contracts;
using LlmTr.Modules.Gateway.Chat;
using LlmTr.Modules.Gateway.Protocols;
using LlmTr.SharedKernel;
using Microsoft.Extensions.Logging;
using Microsoft.Net.Http.Headers;

namespace LlmTr.Modules.Gateway.Upstream;

/// <summary>What one endpoint does with one candidate model: its call, its upstream request, and how it relays an answer.</summary>
internal interface IProviderAttempt<TCall>
{
    /// <summary>
    /// Why this candidate cannot take the request after all, found only when its turn comes (a request that must be
    /// translated for its provider and cannot be), or null. The candidate is then skipped, its refusal kept as the failure.
    /// </summary>
    GatewayError? Refusal(CatalogModel model, CatalogProvider provider) => null;

    /// <summary>The call for this candidate, and the protocol to speak (the client's own, when the provider speaks it too).</summary>
    (TCall Call, ChatProtocol Protocol) Prepare(CatalogModel model, CatalogProvider provider, ChatProtocol protocol, ProviderSettings settings);

    HttpRequestMessage CreateRequest(TCall call, ChatProtocol protocol);

    /// <summary>Relays a successful answer; <paramref name="deadline"/> still runs (streams extend it while data flows).</summary>
    Task RelayAsync(TCall call, ChatProtocol protocol, HttpResponseMessage response, CancellationTokenSource deadline);
}

/// <summary>
/// Tries a request's candidate models in order, the same way for every /v1 endpoint: each under its provider's timeout;
/// an unreachable, timed-out or failing provider moves on to the next candidate where the failure allows a fallback;
/// the model that answers is named in <c>x-llmtr-served-by</c>; when none answers, the last failure is the error
/// (with the provider's Retry-After on a 429), never its credential or address.
/// </summary>
internal sealed partial class ProviderCandidates(
    IModelCatalog catalog, ProviderDirectory providers, UpstreamClient upstream, ProtocolSet protocols, ILogger<ProviderCandidates> logger)
{
    public async Task ServeAsync<TCall>(Exchange exchange, IReadOnlyList<CatalogModel> candidates, IProviderAttempt<TCall> attempt)
    {
        GatewayError? failure = null;
        string? retryAfter = null;
        for (var i = 0; i < candidates.Count; i++)
        {
            var model = candidates[i];
            var provider = catalog.Current.FindProvider(model.ProviderId);
            if (provider is null || !protocols.TryGet(provider.Protocol, out var adapter))
            {
                failure = GatewayError.Of(ApiErrors.ProviderError, $"The provider of '{model.Id}' is not configured.");
                continue;
            }

            if (attempt.Refusal(model, provider) is { } refused)
            {
                // A candidate that cannot take the request does not hide why an earlier one failed (an overloaded
                // provider is the answer, not the fallback's refusal); it is the answer only when nothing was tried.
                failure ??= refused;
                continue;
            }

            var settings = providers.For(provider);
            exchange.SetModel(model);
            var (call, protocol) = attempt.Prepare(model, provider, adapter, settings);
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(exchange.Target.Aborted);
            deadline.CancelAfter(settings.Timeout);
            HttpResponseMessage response;
            try
            {
                response = await exchange.WaitOnUpstreamAsync(() => upstream.SendAsync(() => attempt.CreateRequest(call, protocol), deadline.Token));
            }
            catch (HttpRequestException e)
            {
                LogUnreachable(logger, e, exchange.RequestId, model.Id);
                failure = UpstreamFailures.Unreachable(model);
                continue;
            }
            catch (OperationCanceledException) when (!exchange.Target.Aborted.IsCancellationRequested)
            {
                failure = UpstreamFailures.TimedOut(model, settings.Timeout);
                continue;
            }

            using (response)
            {
                if (!response.IsSuccessStatusCode)
                {
                    failure = await ErrorOfAsync(exchange, response, protocol, model, settings, deadline.Token);
                    retryAfter = response.Headers.RetryAfter?.Delta is { } delta ? ((int)Math.Ceiling(delta.TotalSeconds)).ToString(CultureInfo.InvariantCulture) : null;
                    if (UpstreamFailures.AllowsFallback(failure) && i < candidates.Count - 1)
                    {
                        continue;
                    }

                    break;
                }

                exchange.Target.SetHeader("x-llmtr-served-by", model.Id);
                await attempt.RelayAsync(call, protocol, response, deadline);
                return;
            }
        }

        if (retryAfter is not null && failure is { Status: 429 })
        {
            exchange.Target.SetHeader(HeaderNames.RetryAfter, retryAfter);
        }

        await exchange.FailAsync(failure ?? GatewayError.Internal(exchange.RequestId));
    }

    /// <summary>What a provider's credential and address look like in text, to scrub them from anything a client sees.</summary>
    public static string[] Secrets(ProviderSettings settings) =>
        [settings.ApiKey ?? "", settings.BaseUrl.Host, settings.BaseUrl.AbsoluteUri.TrimEnd('/')];

    private async Task<GatewayError> ErrorOfAsync(
        Exchange exchange, HttpResponseMessage response, ChatProtocol protocol, CatalogModel model, ProviderSettings settings, CancellationToken cancellationToken)
    {
        string? message = null;
        var status = response.StatusCode;
        try
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            using var document = JsonDocument.Parse(text);
            message = protocol.ErrorMessage(document.RootElement);
            status = protocol.EffectiveStatus(status, document.RootElement);
        }
        catch (Exception e) when (e is JsonException or HttpRequestException or IOException or OperationCanceledException)
        {
            // A body that is not JSON (or never arrives, or breaks off) still leaves the status to go by.
        }

        LogStatus(logger, exchange.RequestId, model.Id, (int)response.StatusCode);
        return UpstreamFailures.FromStatus(model, status, message, Secrets(settings));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Request {RequestId}: the provider of {Model} could not be reached")]
    private static partial void LogUnreachable(ILogger logger, Exception exception, string requestId, string model);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Request {RequestId}: the provider of {Model} answered HTTP {Status}")]
    private static partial void LogStatus(ILogger logger, string requestId, string model, int status);
}
