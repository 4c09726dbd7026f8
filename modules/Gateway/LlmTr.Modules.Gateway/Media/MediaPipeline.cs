using System.Globalization;
using System.Text.Json;
using LlmTr.Modules.Billing.Contracts;
using LlmTr.Modules.Catalog.Contracts;
using LlmTr.Modules.Gateway.Chat;
using LlmTr.Modules.Gateway.Protocols;
using LlmTr.Modules.Gateway.Upstream;
using LlmTr.Modules.Keys.Contracts;
using LlmTr.SharedKernel;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace LlmTr.Modules.Gateway.Media;

/// <summary>
/// The steps every non-chat /v1 endpoint shares, in chat's order: the key's identity, reading the request, the model
/// from the in-memory catalog, availability and scope, the operation the model must list, the account's credit, the
/// provider (then the catalog's fallbacks while nothing has reached the client), upstream errors told in the public
/// table's terms, and usage handed to Billing with its cost in the answer. No database call anywhere on this path.
/// </summary>
internal sealed partial class MediaPipeline(
    IModelCatalog catalog,
    Admission admission,
    IUsageRecorder usage,
    ProviderDirectory providers,
    UpstreamClient upstream,
    ProtocolSet protocols,
    IOptions<GatewayOptions> options,
    TimeProvider time,
    GatewayMetrics metrics,
    ILogger<MediaPipeline> logger)
{
    /// <summary>The request's cost in the platform currency, for answers whose body cannot carry it (audio).</summary>
    public const string CostHeader = "x-llmtr-cost";

    public const string CostCurrencyHeader = "x-llmtr-cost-currency";

    public async Task HandleAsync(HttpContext http, MediaOperation operation)
    {
        var exchange = new Exchange(http, time);
        try
        {
            await HandleAsync(exchange, operation);
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
        {
            exchange.Outcome = UsageOutcome.Cancelled;
        }
        catch (Exception e) when (e is not OperationCanceledException || !http.RequestAborted.IsCancellationRequested)
        {
            LogGatewayFault(logger, e, exchange.RequestId);
            exchange.Outcome = UsageOutcome.Failed;
            await exchange.FailAsync(GatewayError.Internal(exchange.RequestId));
        }
        finally
        {
            admission.Finish(exchange);

            metrics.Finished(exchange.Billable?.Model.Id ?? "unknown", http.Response.StatusCode, exchange.Outcome.ToString(),
                exchange.Elapsed, exchange.UpstreamTime, exchange.CalledUpstream);
            operation.Dispose();
        }
    }

    private async Task HandleAsync(Exchange exchange, MediaOperation operation)
    {
        var http = exchange.Http;
        var identity = http.Features.Get<ApiKeyIdentity>() ?? throw new InvalidOperationException("/v1 requires an authenticated key.");
        if (!await admission.AdmitAsync(exchange, identity))
        {
            return;
        }

        if (await operation.ReadAsync(http, options.Value) is { } invalid)
        {
            exchange.RequestedModel = operation.Model;
            await exchange.FailAsync(invalid);
            return;
        }

        exchange.RequestedModel = operation.Model;
        var snapshot = catalog.Current;
        var model = snapshot.FindModel(operation.Model);
        if ((model is null ? ModelAccess.NotFound(operation.Model) : Refusal(model, identity, operation, snapshot)) is { } refusal)
        {
            await exchange.FailAsync(refusal);
            return;
        }

        exchange.SetModel(model!);
        if (!await admission.ReserveCreditAsync(exchange, identity, model!))
        {
            return;
        }

        var candidates = new List<CatalogModel> { model! };
        foreach (var id in model!.FallbackModelIds)
        {
            if (snapshot.FindModel(id) is { } fallback && Refusal(fallback, identity, operation, snapshot) is null && candidates.All(c => c.Id != fallback.Id))
            {
                candidates.Add(fallback);
            }
        }

        await ServeAsync(exchange, operation, candidates);
    }

    /// <summary>Why this key may not use this model for this operation, or null; all of it known before any upstream call.</summary>
    private static GatewayError? Refusal(CatalogModel model, ApiKeyIdentity identity, MediaOperation operation, CatalogSnapshot snapshot)
    {
        if (ModelAccess.Refusal(model, identity) is { } denied)
        {
            return denied;
        }

        if (!model.Operations.Contains(operation.Operation))
        {
            return ModelCapabilities.Unsupported(model, operation.Describe, "model");
        }

        var protocol = snapshot.FindProvider(model.ProviderId)?.Protocol ?? ApiProtocol.OpenAi;
        return operation.Protocols.Contains(protocol)
            ? operation.Check(model, protocol)
            : GatewayError.Of(ApiErrors.UnsupportedFeature,
                $"The model '{model.Id}' does not support {operation.Describe} through LLMTR: its provider speaks the {ProtocolName(protocol)} protocol, which has no such endpoint.", "model");
    }

    private async Task ServeAsync(Exchange exchange, MediaOperation operation, List<CatalogModel> candidates)
    {
        GatewayError? failure = null;
        string? retryAfter = null;
        for (var i = 0; i < candidates.Count; i++)
        {
            var model = candidates[i];
            var provider = catalog.Current.FindProvider(model.ProviderId);
            if (provider is null || !protocols.TryGet(provider.Protocol, out var protocol))
            {
                failure = GatewayError.Of(ApiErrors.ProviderError, $"The provider of '{model.Id}' is not configured.");
                continue;
            }

            var settings = providers.For(provider);
            exchange.SetModel(model);
            var call = new MediaCall(model, provider, settings, exchange.Created);
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(exchange.Http.RequestAborted);
            deadline.CancelAfter(settings.Timeout);
            HttpResponseMessage response;
            try
            {
                response = await exchange.WaitOnUpstreamAsync(() => upstream.SendAsync(() => operation.CreateRequest(call), deadline.Token));
            }
            catch (HttpRequestException e)
            {
                LogUpstreamFailure(logger, e, exchange.RequestId, model.Id);
                failure = UpstreamFailures.Unreachable(model);
                continue;
            }
            catch (OperationCanceledException) when (!exchange.Http.RequestAborted.IsCancellationRequested)
            {
                failure = UpstreamFailures.TimedOut(model, settings.Timeout);
                continue;
            }

            using (response)
            {
                if (!response.IsSuccessStatusCode)
                {
                    failure = await UpstreamErrorAsync(exchange, response, protocol, call, deadline.Token);
                    retryAfter = response.Headers.RetryAfter?.Delta is { } delta ? ((int)Math.Ceiling(delta.TotalSeconds)).ToString(CultureInfo.InvariantCulture) : null;
                    if (UpstreamFailures.AllowsFallback(failure) && i < candidates.Count - 1)
                    {
                        continue;
                    }

                    break;
                }

                exchange.Http.Response.Headers["x-llmtr-served-by"] = model.Id;
                await RelayAsync(exchange, operation, call, response, deadline.Token);
                return;
            }
        }

        if (retryAfter is not null && failure is { Status: 429 })
        {
            exchange.Http.Response.Headers[HeaderNames.RetryAfter] = retryAfter;
        }

        await exchange.FailAsync(failure ?? GatewayError.Internal(exchange.RequestId));
    }

    private async Task RelayAsync(Exchange exchange, MediaOperation operation, MediaCall call, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        MediaAnswer answer;
        try
        {
            answer = await exchange.WaitOnUpstreamAsync(() => operation.ReadAnswerAsync(response, call, cancellationToken));
        }
        catch (Exception e) when (e is JsonException or UpstreamProtocolException)
        {
            await exchange.FailAsync(UpstreamFailures.Malformed(call.Model));
            return;
        }
        catch (UpstreamRefusalException e)
        {
            await exchange.FailAsync(GatewayError.Of(ApiErrors.ProviderRejectedRequest, $"The provider of '{call.Model.Id}' rejected the request: {UpstreamFailures.Scrub(e.Message, Secrets(call))}"));
            return;
        }
        catch (OperationCanceledException) when (!exchange.Http.RequestAborted.IsCancellationRequested)
        {
            await exchange.FailAsync(UpstreamFailures.TimedOut(call.Model, call.Settings.Timeout));
            return;
        }
        catch (HttpRequestException)
        {
            await exchange.FailAsync(UpstreamFailures.Unreachable(call.Model));
            return;
        }
        catch (IOException)
        {
            // The connection broke in the middle of the answer's body (HttpIOException): what arrived cannot be read.
            await exchange.FailAsync(UpstreamFailures.Malformed(call.Model));
            return;
        }

        exchange.Produced(answer.Usage, reported: true);
        var charge = exchange.Charge(usage, call.Model, answer.Usage);
        var http = exchange.Http.Response;
        http.StatusCode = StatusCodes.Status200OK;
        http.Headers[CostHeader] = charge.Cost.ToString(CultureInfo.InvariantCulture);
        http.Headers[CostCurrencyHeader] = charge.Currency;
        await answer.WriteAsync(http, call, charge, exchange.Http.RequestAborted);
    }

    private async Task<GatewayError> UpstreamErrorAsync(Exchange exchange, HttpResponseMessage response, ChatProtocol protocol, MediaCall call, CancellationToken cancellationToken)
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

        LogUpstreamStatus(logger, exchange.RequestId, call.Model.Id, (int)response.StatusCode);
        return UpstreamFailures.FromStatus(call.Model, status, message, Secrets(call));
    }

    private static string[] Secrets(MediaCall call) =>
        [call.Settings.ApiKey ?? "", call.Settings.BaseUrl.Host, call.Settings.BaseUrl.AbsoluteUri.TrimEnd('/')];

    private static string ProtocolName(ApiProtocol protocol) => protocol switch
    {
        ApiProtocol.AnthropicMessages => "Anthropic Messages",
        ApiProtocol.Gemini => "Gemini",
        _ => "OpenAI-compatible",
    };

    [LoggerMessage(Level = LogLevel.Error, Message = "Gateway fault on request {RequestId}")]
    private static partial void LogGatewayFault(ILogger logger, Exception exception, string requestId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Request {RequestId}: the provider of {Model} could not be reached")]
    private static partial void LogUpstreamFailure(ILogger logger, Exception exception, string requestId, string model);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Request {RequestId}: the provider of {Model} answered HTTP {Status}")]
    private static partial void LogUpstreamStatus(ILogger logger, string requestId, string model, int status);
}

/// <summary>The provider answered 200 but refused to produce anything (a blocked prompt, no image): told as its rejection of the request.</summary>
internal sealed class UpstreamRefusalException(string message) : Exception(message);
