using System.Buffers;
using System.Diagnostics;
using System.Net.ServerSentEvents;
using System.Text.Json;
using LlmTr.Modules.Billing.Contracts;
using LlmTr.Modules.Catalog.Contracts;
using LlmTr.Modules.Gateway.Demo;
using LlmTr.Modules.Gateway.Media;
using LlmTr.Modules.Gateway.Pipeline;
using LlmTr.Modules.Gateway.Protocols;
using LlmTr.Modules.Gateway.Protocols.OpenAi;
using LlmTr.Modules.Gateway.Upstream;
using LlmTr.Modules.Keys.Contracts;
using LlmTr.SharedKernel;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LlmTr.Modules.Gateway.Chat;

/// <summary>
/// Chat-shaped requests (chat completions, and the Messages and Responses APIs through their <see cref="AnswerFormat"/>)
/// as a <see cref="GatewayPipeline"/> operation: the body read and checked, translated for a model served in OpenAI's
/// shape, then the demo model's own answer or the providers' (falling back while nothing has reached the client),
/// streamed or returned in the client's format, with the usage handed to Billing.
/// </summary>
internal sealed class ChatRelay(
    GatewayPipeline pipeline,
    IUsageRecorder usage,
    ProviderCandidates providerCandidates,
    BodyBudget budget,
    IOptions<GatewayOptions> options)
{
    private readonly ProviderCandidates _providerCandidates = providerCandidates;
    private readonly BodyBudget _budget = budget;
    private readonly IOptions<GatewayOptions> _options = options;

    /// <param name="format">The client's API when it is not OpenAI's chat completions; null for chat completions.</param>
    public Task HandleAsync(HttpContext http, AnswerFormat? format = null) => pipeline.RunAsync(http, new ChatOperation(this, format, http, default), format);

    /// <summary>Serves a chat request made in process (the playground): its body as an SDK would send it, its answer to <paramref name="answer"/>.</summary>
    public Task RunAsync(AnswerTarget answer, ApiKeyIdentity identity, ReadOnlyMemory<byte> body, AnswerFormat format) =>
        pipeline.RunAsync(answer, identity, null, new ChatOperation(this, format, null, body), format);

    /// <summary>Why this key may not use this model for this request, or null.</summary>
    internal static GatewayError? Refusal(CatalogModel model, ChatRequest request) =>
        (request.Residency.IsEmpty ? null : request.Residency.Denial(model)) ?? ModelCapabilities.Check(request, model);

    /// <summary>
    /// One chat request: what the pipeline asks of it, and its attempts at its candidate models (one small object per
    /// request). A request in another API's format goes to a provider speaking that API as sent, and to any other in
    /// its translation, made (and checked against the model) only when such an attempt comes.
    /// </summary>
    /// <param name="http">The /v1 call whose body is read, or null for a request made in process.</param>
    /// <param name="inProcessBody">The body of a request made in process.</param>
    private sealed class ChatOperation(ChatRelay relay, AnswerFormat? format, HttpContext? http, ReadOnlyMemory<byte> inProcessBody) : IGatewayOperation, IProviderAttempt<ChatCall>
    {
        private Exchange _exchange = null!;

        /// <summary>The request as the client sent it (its output limit and size make the credit hold).</summary>
        private ChatRequest _asSent = null!;

        /// <summary>The request the model is judged on and served with: translated when the model is served in OpenAI's shape.</summary>
        private ChatRequest _request = null!;

        public string Model { get; private set; } = "";

        public RouteOptions Route { get; private set; } = RouteOptions.None;

        private long MaxInlineBytes => relay._options.Value.MaxInlineBytes;

        public async Task<GatewayError?> ReadAsync(Exchange exchange)
        {
            _exchange = exchange;
            var bytes = inProcessBody;
            if (http is not null)
            {
                var (body, refused) = await RequestBody.ReadOrRefuseAsync(http, relay._options.Value.MaxRequestBytes, relay._budget);
                if (body is null)
                {
                    return refused;
                }

                exchange.Body = body;
                bytes = body.Memory;
            }

            GatewayError? invalid;
            exchange.Request = format is null ? ChatRequest.Parse(bytes, out invalid) : format.Parse(bytes, out invalid);
            if (exchange.Request is not { } request)
            {
                return invalid;
            }

            _asSent = _request = request;
            Model = request.Model;

            // Every API's request carries the client's llmtr object into its parsed root; a call made in process has no header.
            if (RouteOptions.Of(request.Root, RouteHeader(http), out var badRoute) is not { } route)
            {
                return badRoute;
            }

            Route = route;
            return null;
        }

        /// <summary>The request's <c>x-llmtr-route</c> header, its lines joined if it came more than once; null without one.</summary>
        private static string? RouteHeader(HttpContext? http) =>
            http is not null && http.Request.Headers.TryGetValue(RouteOptions.Header, out var values) ? values.ToString() : null;

        public GatewayError? Prepare(CatalogModel? model, CatalogSnapshot snapshot)
        {
            if (model is not null && format is not null && !format.RelaysNatively(snapshot.FindProvider(model.ProviderId)))
            {
                // The model itself is served in OpenAI's shape: translate now, so its capabilities and fallbacks are judged
                // on the whole request. (A natively relayed model's fallbacks translate only if one is tried.)
                if (format.Translated(_request, out var untranslatable) is not { } translated)
                {
                    return untranslatable;
                }

                _request = translated;
            }

            return InlineMedia.Oversized(_request, MaxInlineBytes);
        }

        public GatewayError? Refusal(CatalogModel model, CatalogSnapshot snapshot) => ChatRelay.Refusal(model, _request);

        public UsageCounts? Maximum(CatalogModel model, DateTimeOffset at) => MaximumUsage.Chat(_asSent, model);

        public Task ServeAsync(Exchange exchange, IReadOnlyList<CatalogModel> candidates) =>
            candidates[0].Id == DemoModel.Id
                ? relay.ServeDemoAsync(exchange, _request, candidates[0])
                : relay._providerCandidates.ServeAsync(exchange, candidates, this);

        public GatewayError? Refusal(CatalogModel model, CatalogProvider provider)
        {
            if (format is null || format.RelaysNatively(provider))
            {
                return null;
            }

            var translated = format.Translated(_request, out var untranslatable);
            return translated is null ? untranslatable
                : ReferenceEquals(translated, _request) ? null
                : InlineMedia.Oversized(translated, MaxInlineBytes) ?? ModelCapabilities.Check(translated, model);
        }

        public (ChatCall Call, ChatProtocol Protocol) Prepare(CatalogModel model, CatalogProvider provider, ChatProtocol protocol, ProviderSettings settings)
        {
            var native = format?.NativeProtocol(provider);
            var sent = native is null && format is not null ? format.Translated(_request, out _) ?? _request : _request;
            return (new ChatCall(sent, model, provider, settings, _exchange.ResponseId, _exchange.Created), native ?? protocol);
        }

        public HttpRequestMessage CreateRequest(ChatCall call, ChatProtocol protocol) => protocol.CreateRequest(call);

        public Task RelayAsync(ChatCall call, ChatProtocol protocol, HttpResponseMessage response, CancellationTokenSource deadline) =>
            _request.Stream
                ? relay.RelayStreamAsync(_exchange, call, protocol, response, deadline)
                : relay.RelayCompletionAsync(_exchange, call, protocol, response, deadline.Token);

        public void Dispose()
        {
            // The request and its body belong to the exchange, which gives them back.
        }
    }

    private async Task ServeDemoAsync(Exchange exchange, ChatRequest request, CatalogModel model)
    {
        if (DemoModel.Answer(request, model, out var refusal) is not { } answer)
        {
            await exchange.FailAsync(refusal!);
            return;
        }

        exchange.Produced(answer.Usage, reported: true);
        if (!request.Stream)
        {
            await WriteCompletionAsync(exchange, answer, model, answer.Usage);
            return;
        }

        var sink = await exchange.StartStreamAsync(model);
        for (var index = 0; index < answer.Choices.Count; index++)
        {
            await StreamDemoChoiceAsync(exchange, sink, index, answer.Choices[index]);
        }

        await FinishStreamAsync(exchange, model, answer.Usage);
    }

    /// <summary>One choice as OpenAI streams it: the role, then text pieces or a tool call's id and name and its arguments in pieces, then the finish reason.</summary>
    private static async Task StreamDemoChoiceAsync(Exchange exchange, ChunkSink sink, int index, DemoChoice choice)
    {
        sink.Role(index, callsFirst: choice.Call is not null);
        await exchange.SendAsync(); // the role in a chunk of its own, as OpenAI streams it
        if (choice.Call is { } call)
        {
            sink.ToolCall(index, 0, call.Id, call.Name, "");
            await exchange.SendAsync();
        }

        foreach (var piece in choice.Pieces)
        {
            if (choice.Call is null)
            {
                sink.Text(index, piece);
            }
            else
            {
                sink.ToolCall(index, 0, null, null, piece);
            }

            await exchange.SendAsync();
        }

        sink.Finish(index, choice.FinishReason);
    }

    private async Task RelayCompletionAsync(Exchange exchange, ChatCall call, ChatProtocol protocol, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        ChatCompletion completion;
        try
        {
            await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
            if (exchange.Format is null && protocol is OpenAiProtocol)
            {
                // OpenAI's chat completions on both sides: relayed in one reader-to-writer pass, never parsed into a document.
                completion = await exchange.WaitOnUpstreamAsync(() => OpenAiRelay.ReadAsync(stream, response.Content.Headers.ContentLength, cancellationToken));
            }
            else
            {
                using var document = await exchange.WaitOnUpstreamAsync(() => JsonDocument.ParseAsync(stream, cancellationToken: cancellationToken));
                completion = protocol.ReadCompletion(document.RootElement, call);
            }
        }
        catch (Exception e) when (UpstreamFailures.WhileReading(e, call.Model, call.Settings.Timeout, exchange.Target.Aborted) is { } failure)
        {
            await exchange.FailAsync(failure);
            return;
        }

        using var relayed = completion as IDisposable; // a relayed answer's pooled buffer, given back once written
        var counts = Counted(call, completion.Usage);
        exchange.Produced(counts, reported: true);
        await WriteCompletionAsync(exchange, completion, call.Model, counts);
    }

    private async Task WriteCompletionAsync(Exchange exchange, ChatCompletion completion, CatalogModel model, UsageCounts counts)
    {
        var charge = exchange.Charge(usage, model, counts);
        var response = exchange.Target;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/json";

        // A whole answer's cost is known before its body is written: it goes in the headers too, as for media answers.
        response.SetHeader(MediaRelay.CostHeader, charge.Cost.ToString(System.Globalization.CultureInfo.InvariantCulture));
        response.SetHeader(MediaRelay.CostCurrencyHeader, charge.Currency);
        var stamp = new ResponseStamp(exchange.ResponseId, model.Id, exchange.Created, charge);
        if (exchange.Format is not null)
        {
            exchange.Format.WriteCompletion(response.BodyWriter, completion, stamp);
        }
        else
        {
            using var writer = new Utf8JsonWriter(response.BodyWriter);
            completion.WriteTo(writer, stamp);
        }

        await response.BodyWriter.FlushAsync(exchange.Target.Aborted);
    }

    private async Task RelayStreamAsync(Exchange exchange, ChatCall call, ChatProtocol protocol, HttpResponseMessage response, CancellationTokenSource deadline)
    {
        var translator = protocol.CreateStreamTranslator(call);
        var sink = await exchange.StartStreamAsync(call.Model);
        var idle = call.Settings.StreamIdleTimeout;
        try
        {
            await using var stream = await response.Content.ReadAsStreamAsync(deadline.Token);
            deadline.CancelAfter(idle);
            using var eventData = new SseEventBuffer();
            var parser = SseParser.Create(stream, eventData.Hold);
            await using var events = parser.EnumerateAsync(deadline.Token).GetAsyncEnumerator(deadline.Token);
            while (await exchange.WaitOnUpstreamAsync(() => events.MoveNextAsync().AsTask()))
            {
                var item = events.Current;
                deadline.CancelAfter(idle);
                translator.OnEvent(item, sink);
                exchange.Produced(Counted(call, translator.UsageReported ? translator.Usage : Estimate(call.Request, translator)), translator.UsageReported);
                if (sink.HasPending)
                {
                    await exchange.SendAsync();
                }

                if (translator.Completed)
                {
                    break;
                }
            }
        }
        catch (UpstreamStreamException e)
        {
            await exchange.FailStreamAsync(e.RateLimited
                ? GatewayError.Quoting(ApiErrors.RateLimitExceeded, $"The provider of '{call.Model.Id}' is rate-limiting requests", $"{UpstreamFailures.Scrub(e.Message, Secrets(call))}")
                : GatewayError.Quoting(ApiErrors.ProviderError, $"The provider of '{call.Model.Id}' reported an error during the stream", $"{UpstreamFailures.Scrub(e.Message, Secrets(call))}"));
            return;
        }
        catch (OperationCanceledException) when (!exchange.Target.Aborted.IsCancellationRequested)
        {
            await exchange.FailStreamAsync(UpstreamFailures.StreamStalled(call.Model, idle));
            return;
        }
        catch (Exception e) when (e is HttpRequestException or IOException)
        {
            await exchange.FailStreamAsync(UpstreamFailures.StreamCut(call.Model));
            return;
        }

        exchange.Produced(Counted(call, translator.UsageReported ? translator.Usage : Estimate(call.Request, translator)), translator.UsageReported);
        if (!translator.Completed)
        {
            await exchange.FailStreamAsync(UpstreamFailures.StreamCut(call.Model));
            return;
        }

        await FinishStreamAsync(exchange, call.Model, exchange.Billable!.Value.Counts);
    }

    private async Task FinishStreamAsync(Exchange exchange, CatalogModel model, UsageCounts counts)
    {
        exchange.Sink!.Usage(counts, exchange.Charge(usage, model, counts));
        exchange.Sink.Done();
        await exchange.SendAsync();
    }

    /// <summary>
    /// The web search of a request to an OpenAI-compatible provider that asked for one (MiMo's <c>webSearchEnabled</c>
    /// or <c>web_search</c> tool, OpenAI's <c>web_search_options</c>): these providers bill searching per request and
    /// most report no count, so an answer that produced output counts one search, unless the provider reported its own
    /// number. Anthropic and Gemini report what they ran, which stands as reported.
    /// </summary>
    private static UsageCounts Counted(ChatCall call, UsageCounts counts) =>
        call.Provider.Protocol == ApiProtocol.OpenAi && counts.WebSearches == 0 && counts.CompletionTokens > 0 && call.Request.AsksForWebSearch
            ? counts with { WebSearches = 1 }
            : counts;

    /// <summary>
    /// Usage when the provider reported none (a cut or cancelled stream): the prompt at about four bytes a token, and
    /// the text generated so far at about four characters a token.
    /// </summary>
    private static UsageCounts Estimate(ChatRequest request, ChatStreamTranslator translator) =>
        translator.Usage with
        {
            PromptTokens = translator.Usage.PromptTokens > 0 ? translator.Usage.PromptTokens : Math.Max(1, request.BodyLength / 4),
            CompletionTokens = Math.Max(translator.Usage.CompletionTokens, (translator.GeneratedCharacters + 3) / 4),
        };

    private static string[] Secrets(ChatCall call) => ProviderCandidates.Secrets(call.Settings);
}
