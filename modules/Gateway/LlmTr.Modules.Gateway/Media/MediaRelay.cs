using System.Globalization;
using System.Text.Json;
using LlmTr.Modules.Billing.Contracts;
using LlmTr.Modules.Catalog.Contracts;
using LlmTr.Modules.Gateway.Chat;
using LlmTr.Modules.Gateway.Pipeline;
using LlmTr.Modules.Gateway.Protocols;
using LlmTr.Modules.Gateway.Upstream;
using LlmTr.SharedKernel;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace LlmTr.Modules.Gateway.Media;

/// <summary>
/// The /v1 endpoints other than chat (embeddings, image generation, speech, transcription) as
/// <see cref="GatewayPipeline"/> operations: the model must list the endpoint's operation and its provider's protocol
/// must carry it; the answer comes back in OpenAI's format with its cost (in headers when the body cannot carry it).
/// </summary>
internal sealed class MediaRelay(GatewayPipeline pipeline, IUsageRecorder usage, ProviderCandidates providerCandidates, BodyBudget budget, IOptions<GatewayOptions> options)
{
    private readonly ProviderCandidates _providerCandidates = providerCandidates;
    private readonly BodyBudget _budget = budget;
    private readonly IOptions<GatewayOptions> _options = options;

    /// <summary>The request's cost in the platform currency, for answers whose body cannot carry it (audio).</summary>
    public const string CostHeader = "x-llmtr-cost";

    public const string CostCurrencyHeader = "x-llmtr-cost-currency";

    public Task HandleAsync(HttpContext http, MediaOperation operation) => pipeline.RunAsync(http, new Request(this, operation, http));

    /// <summary>Why this model cannot serve this operation (beyond the key's access), or null.</summary>
    private static GatewayError? Refusal(CatalogModel model, MediaOperation operation, CatalogSnapshot snapshot)
    {
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

    /// <summary>One request: what the pipeline asks of it, and its attempts at its candidate models.</summary>
    /// <param name="http">The /v1 call whose request is read.</param>
    private sealed class Request(MediaRelay relay, MediaOperation operation, HttpContext http) : IGatewayOperation, IProviderAttempt<MediaCall>
    {
        private Exchange _exchange = null!;

        public string Model => operation.Model;

        public Task<GatewayError?> ReadAsync(Exchange exchange)
        {
            _exchange = exchange;
            return operation.ReadAsync(http, relay._options.Value, relay._budget);
        }

        public GatewayError? Refusal(CatalogModel model, CatalogSnapshot snapshot) => MediaRelay.Refusal(model, operation, snapshot);

        public UsageCounts? Maximum(CatalogModel model, DateTimeOffset at) => operation.Maximum(model, at);

        public Task ServeAsync(Exchange exchange, IReadOnlyList<CatalogModel> candidates) => relay._providerCandidates.ServeAsync(exchange, candidates, this);

        public (MediaCall Call, ChatProtocol Protocol) Prepare(CatalogModel model, CatalogProvider provider, ChatProtocol protocol, ProviderSettings settings) =>
            (new MediaCall(model, provider, settings, _exchange.Created), protocol);

        public HttpRequestMessage CreateRequest(MediaCall call, ChatProtocol protocol) => operation.CreateRequest(call);

        public Task RelayAsync(MediaCall call, ChatProtocol protocol, HttpResponseMessage response, CancellationTokenSource deadline) =>
            relay.RelayAsync(_exchange, operation, call, response, deadline.Token);

        public void Dispose() => operation.Dispose();
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
            await exchange.FailAsync(GatewayError.Quoting(ApiErrors.ProviderRejectedRequest, $"The provider of '{call.Model.Id}' rejected the request", $"{UpstreamFailures.Scrub(e.Message, Secrets(call))}"));
            return;
        }
        catch (Exception e) when (UpstreamFailures.WhileReading(e, call.Model, call.Settings.Timeout, exchange.Target.Aborted) is { } failure)
        {
            await exchange.FailAsync(failure);
            return;
        }

        exchange.Produced(answer.Usage, reported: true);
        var charge = exchange.Charge(usage, call.Model, answer.Usage);
        var target = exchange.Target;
        target.StatusCode = StatusCodes.Status200OK;
        target.SetHeader(CostHeader, charge.Cost.ToString(CultureInfo.InvariantCulture));
        target.SetHeader(CostCurrencyHeader, charge.Currency);
        await answer.WriteAsync(target, call, charge, target.Aborted);
    }

    private static string[] Secrets(MediaCall call) => ProviderCandidates.Secrets(call.Settings);

    private static string ProtocolName(ApiProtocol protocol) => protocol switch
    {
        ApiProtocol.AnthropicMessages => "Anthropic Messages",
        ApiProtocol.Gemini => "Gemini",
        _ => "OpenAI-compatible",
    };
}

/// <summary>The provider answered 200 but refused to produce anything (a blocked prompt, no image): told as its rejection of the request.</summary>
internal sealed class UpstreamRefusalException(string message) : Exception(message);
