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
    ProviderCandidates providerCandidates,
    BodyBudget budget,
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
        catch (BadHttpRequestException) when (!http.Response.HasStarted && http.RequestAborted.IsCancellationRequested)
        {
            // The client went away before its body arrived: nothing to answer, nothing consumed.
            exchange.Outcome = UsageOutcome.Cancelled;
        }
        catch (BadHttpRequestException e) when (!http.Response.HasStarted)
        {
            // The body broke HTTP framing (a malformed chunk): nothing was consumed, and the client hears why.
            await exchange.FailAsync(ApiAnswers.Unreadable(e.StatusCode));
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

        if (await operation.ReadAsync(http, options.Value, budget) is { } invalid)
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
        var candidates = new List<CatalogModel> { model! };
        foreach (var id in model!.FallbackModelIds)
        {
            if (snapshot.FindModel(id) is { } fallback && Refusal(fallback, identity, operation, snapshot) is null && candidates.All(c => c.Id != fallback.Id))
            {
                candidates.Add(fallback);
            }
        }

        if (!await admission.ReserveCreditAsync(exchange, identity, candidates, operation, static (o, m, at) => o.Maximum(m, at)))
        {
            return;
        }

        await providerCandidates.ServeAsync(exchange, candidates, new MediaAttempt(this, exchange, operation));
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

    /// <summary>One request's attempts at its candidate models.</summary>
    private sealed class MediaAttempt(MediaPipeline pipeline, Exchange exchange, MediaOperation operation) : IProviderAttempt<MediaCall>
    {
        public (MediaCall Call, ChatProtocol Protocol) Prepare(CatalogModel model, CatalogProvider provider, ChatProtocol protocol, ProviderSettings settings) =>
            (new MediaCall(model, provider, settings, exchange.Created), protocol);

        public HttpRequestMessage CreateRequest(MediaCall call, ChatProtocol protocol) => operation.CreateRequest(call);

        public Task RelayAsync(MediaCall call, ChatProtocol protocol, HttpResponseMessage response, CancellationTokenSource deadline) =>
            pipeline.RelayAsync(exchange, operation, call, response, deadline.Token);
    }

    private async Task RelayAsync(Exchange exchange, MediaOperation operation, MediaCall call, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        MediaAnswer answer;
        try
        {
            answer = await exchange.WaitOnUpstreamAsync(() => operation.ReadAnswerAsync(response, call, cancellationToken));
        }
        catch (UpstreamRefusalException e)
        {
            await exchange.FailAsync(GatewayError.Of(ApiErrors.ProviderRejectedRequest, $"The provider of '{call.Model.Id}' rejected the request: {UpstreamFailures.Scrub(e.Message, Secrets(call))}"));
            return;
        }
        catch (Exception e) when (UpstreamFailures.WhileReading(e, call.Model, call.Settings.Timeout, exchange.Http.RequestAborted) is { } failure)
        {
            await exchange.FailAsync(failure);
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

    private static string[] Secrets(MediaCall call) => ProviderCandidates.Secrets(call.Settings);

    private static string ProtocolName(ApiProtocol protocol) => protocol switch
    {
        ApiProtocol.AnthropicMessages => "Anthropic Messages",
        ApiProtocol.Gemini => "Gemini",
        _ => "OpenAI-compatible",
    };

    [LoggerMessage(Level = LogLevel.Error, Message = "Gateway fault on request {RequestId}")]
    private static partial void LogGatewayFault(ILogger logger, Exception exception, string requestId);


}

/// <summary>The provider answered 200 but refused to produce anything (a blocked prompt, no image): told as its rejection of the request.</summary>
internal sealed class UpstreamRefusalException(string message) : Exception(message);
