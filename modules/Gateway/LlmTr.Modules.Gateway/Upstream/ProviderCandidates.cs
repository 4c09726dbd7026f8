using System.Globalization;
using System.Runtime.CompilerServices;
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
    IModelCatalog catalog, ProviderDirectory providers, DeploymentHealth health, UpstreamClient upstream, ProtocolSet protocols,
    TimeProvider time, ILogger<ProviderCandidates> logger)
{
    public async Task ServeAsync<TCall>(Exchange exchange, IReadOnlyList<CatalogModel> candidates, IProviderAttempt<TCall> attempt)
    {
        GatewayError? failure = null;
        string? retryAfter = null;
        for (var i = 0; i < candidates.Count; i++)
        {
            var model = candidates[i];
            var catalogProvider = catalog.Current.FindProvider(model.ProviderId);
            if (catalogProvider is null)
            {
                failure = GatewayError.Of(ApiErrors.ProviderError, $"The provider of '{model.Id}' is not configured.");
                continue;
            }

            var (deployment, provider) = DeploymentRouter.Endpoint(model, catalogProvider);
            if (!protocols.TryGet(provider.Protocol, out var adapter))
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

            var settings = providers.For(deployment, catalogProvider.Id);
            exchange.SetModel(model);
            var (call, protocol) = attempt.Prepare(model, provider, adapter, settings);
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(exchange.Target.Aborted);
            deadline.CancelAfter(settings.Timeout);
            HttpResponseMessage response;
            var sent = time.GetTimestamp();
            try
            {
                response = await exchange.WaitOnUpstreamAsync(() => upstream.SendAsync(() => attempt.CreateRequest(call, protocol), deadline.Token));
            }
            catch (HttpRequestException e)
            {
                LogUnreachable(logger, e, exchange.RequestId, model.Id, deployment.Name);
                health.Record(deployment, CallResult.Failed, exchange.DeploymentAnswered(time.GetElapsedTime(sent)));
                failure = UpstreamFailures.Unreachable(model);
                continue;
            }
            catch (OperationCanceledException) when (!exchange.Target.Aborted.IsCancellationRequested)
            {
                health.Record(deployment, CallResult.Failed, exchange.DeploymentAnswered(time.GetElapsedTime(sent)));
                failure = UpstreamFailures.TimedOut(model, settings.Timeout);
                continue;
            }

            using (response)
            {
                var status = (int)response.StatusCode;
                health.Record(deployment, status is >= 500 or 429 ? CallResult.Failed : CallResult.Answered, exchange.DeploymentAnswered(time.GetElapsedTime(sent)));
                if (!response.IsSuccessStatusCode)
                {
                    failure = await ErrorOfAsync(exchange, response, protocol, model, deployment, settings, deadline.Token);
                    retryAfter = response.Headers.RetryAfter?.Delta is { } delta ? ((int)Math.Ceiling(delta.TotalSeconds)).ToString(CultureInfo.InvariantCulture) : null;
                    if (UpstreamFailures.AllowsFallback(failure) && i < candidates.Count - 1)
                    {
                        continue;
                    }

                    break;
                }

                exchange.Target.SetHeader("x-llmtr-served-by", ServedBy(deployment));
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

    /// <summary>The model and the deployment that answered: <c>openai/gpt-4o; deployment=azure-sweden</c>.</summary>
    public static string ServedBy(CatalogDeployment deployment) =>
        ServedByValues.GetValue(deployment, static d => $"{d.ModelId}; deployment={d.Name}");

    private static readonly ConditionalWeakTable<CatalogDeployment, string> ServedByValues = [];

    /// <summary>What a provider's credential and address look like in text, to scrub them from anything a client sees.</summary>
    public static string[] Secrets(ProviderSettings settings) =>
        [settings.ApiKey ?? "", settings.BaseUrl.Host, settings.BaseUrl.AbsoluteUri.TrimEnd('/')];

    private async Task<GatewayError> ErrorOfAsync(
        Exchange exchange, HttpResponseMessage response, ChatProtocol protocol, CatalogModel model, CatalogDeployment deployment, ProviderSettings settings,
        CancellationToken cancellationToken)
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

        LogStatus(logger, exchange.RequestId, model.Id, deployment.Name, (int)response.StatusCode);
        return UpstreamFailures.FromStatus(model, status, message, Secrets(settings));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Request {RequestId}: deployment {Deployment} of {Model} could not be reached")]
    private static partial void LogUnreachable(ILogger logger, Exception exception, string requestId, string model, string deployment);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Request {RequestId}: deployment {Deployment} of {Model} answered HTTP {Status}")]
    private static partial void LogStatus(ILogger logger, string requestId, string model, string deployment, int status);
}
