using LlmTr.Modules.Billing.Contracts;
using LlmTr.Modules.Catalog.Contracts;
using LlmTr.Modules.Gateway.Chat;
using LlmTr.Modules.Gateway.Pipeline;
using LlmTr.Modules.Gateway.Protocols;
using LlmTr.Modules.Gateway.Upstream;
using LlmTr.SharedKernel;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace LlmTr.Modules.Gateway.Messages;

/// <summary>
/// POST /v1/messages/count_tokens: the provider's own count of a Messages API request's input, for models whose
/// provider offers one (Anthropic's), as a <see cref="GatewayPipeline"/> operation. The request is admitted and
/// checked like a message (key, model, access, residency) because its content reaches the provider, and its usage row
/// records where it went; counting is free, so it needs no credit and costs nothing.
/// </summary>
internal sealed class CountTokensRelay(GatewayPipeline pipeline, ProviderCandidates providerCandidates, BodyBudget budget, IOptions<GatewayOptions> options)
{
    private readonly ProviderCandidates _providerCandidates = providerCandidates;
    private readonly BodyBudget _budget = budget;
    private readonly IOptions<GatewayOptions> _options = options;

    public Task HandleAsync(HttpContext http)
    {
        var format = new MessagesFormat(http, countingTokens: true);
        return pipeline.RunAsync(http, new CountOperation(this, format, http), format);
    }

    private sealed record CountCall(CatalogModel Model, ProviderSettings Settings);

    private sealed class CountOperation(CountTokensRelay relay, MessagesFormat format, HttpContext http) : IGatewayOperation, IProviderAttempt<CountCall>
    {
        private Exchange _exchange = null!;
        private ChatRequest _request = null!;

        public string Model { get; private set; } = "";

        public bool IsFree => true;

        public async Task<GatewayError?> ReadAsync(Exchange exchange)
        {
            _exchange = exchange;
            var (body, refused) = await RequestBody.ReadOrRefuseAsync(http, relay._options.Value.MaxRequestBytes, relay._budget);
            if (body is null)
            {
                return refused;
            }

            exchange.Body = body;
            exchange.Request = format.Parse(body.Memory, out var invalid);
            if (exchange.Request is not { } request)
            {
                return invalid;
            }

            _request = request;
            Model = request.Model;
            return null;
        }

        public GatewayError? Refusal(CatalogModel model, CatalogSnapshot snapshot) =>
            ChatRelay.Refusal(model, _request)
            ?? (snapshot.FindProvider(model.ProviderId)?.Protocol == ApiProtocol.AnthropicMessages
                ? null
                : GatewayError.Of(ApiErrors.UnsupportedFeature,
                    $"'{model.Id}' offers no token counting: /v1/messages/count_tokens serves models whose provider speaks Anthropic's Messages API.", "model"));

        /// <summary>Counting is free: nothing is held (<see cref="IsFree"/>).</summary>
        public UsageCounts? Maximum(CatalogModel model, DateTimeOffset at) => UsageCounts.None;

        public Task ServeAsync(Exchange exchange, IReadOnlyList<CatalogModel> candidates) => relay._providerCandidates.ServeAsync(exchange, candidates, this);

        public (CountCall Call, ChatProtocol Protocol) Prepare(CatalogModel model, CatalogProvider provider, ChatProtocol protocol, ProviderSettings settings) =>
            (new CountCall(model, settings), protocol);

        public HttpRequestMessage CreateRequest(CountCall call, ChatProtocol protocol) =>
            new NativeMessages(format).Create(call.Settings, "messages/count_tokens", format.UpstreamBody(call.Model.UpstreamName), stream: false);

        /// <summary>The provider's count (<c>{"input_tokens": n}</c>, a few bytes) read whole, then sent back as it came.</summary>
        public async Task RelayAsync(CountCall call, ChatProtocol protocol, HttpResponseMessage response, CancellationTokenSource deadline)
        {
            byte[] count;
            try
            {
                count = await _exchange.WaitOnUpstreamAsync(() => response.Content.ReadAsByteArrayAsync(deadline.Token));
            }
            catch (Exception e) when (UpstreamFailures.WhileReading(e, call.Model, call.Settings.Timeout, _exchange.Target.Aborted) is { } failure)
            {
                await _exchange.FailAsync(failure);
                return;
            }

            var target = _exchange.Target;
            target.StatusCode = StatusCodes.Status200OK;
            target.ContentType = "application/json";
            await target.Body.WriteAsync(count, target.Aborted);
        }

        public void Dispose()
        {
        }
    }
}
