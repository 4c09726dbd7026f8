using System.Buffers;
using System.Diagnostics;
using System.Net.ServerSentEvents;
using System.Text.Json;
using LlmTr.Modules.Billing.Contracts;
using LlmTr.Modules.Catalog.Contracts;
using LlmTr.Modules.Gateway.Demo;
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
/// POST /v1/chat/completions, end to end: read and check the request, resolve the model from the in-memory catalog,
/// apply the key's scope and the account's credit, call the provider (falling back to the catalog's fallback models
/// while nothing has reached the client), stream or return the answer in OpenAI's format, and hand the usage to
/// Billing. No database call anywhere on this path.
/// </summary>
internal sealed partial class ChatCompletionsHandler(
    IModelCatalog catalog,
    Admission admission,
    IUsageRecorder usage,
    ProviderCandidates providerCandidates,
    BodyBudget budget,
    IOptions<GatewayOptions> options,
    TimeProvider time,
    GatewayMetrics metrics,
    ILogger<ChatCompletionsHandler> logger)
{
    /// <param name="format">The client's API when it is not OpenAI's (the Messages API); null for chat completions.</param>
    public async Task HandleAsync(HttpContext http, AnswerFormat? format = null)
    {
        var exchange = new Exchange(http, time, format);
        try
        {
            await HandleAsync(exchange);
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
            // Every finished request from a known key is reported, failed and cancelled ones included, with whatever
            // it produced: a cancelled stream is billed for the text that was generated before the client left.
            admission.Finish(exchange);

            metrics.Finished(exchange.Billable?.Model.Id ?? "unknown", exchange.Http.Response.StatusCode, exchange.Outcome.ToString(),
                exchange.Elapsed, exchange.UpstreamTime, exchange.CalledUpstream);
            exchange.Format?.Release();
            exchange.Request?.Dispose();
            exchange.Body?.Dispose(); // after the request parsed from it
            exchange.Sink?.Dispose();
        }
    }

    private async Task HandleAsync(Exchange exchange)
    {
        var http = exchange.Http;
        var identity = http.Features.Get<ApiKeyIdentity>() ?? throw new InvalidOperationException("/v1 requires an authenticated key.");
        if (!await admission.AdmitAsync(exchange, identity))
        {
            return;
        }

        var (body, refusal) = await RequestBody.ReadAsync(http, options.Value.MaxRequestBytes, budget);
        if (body is null)
        {
            await exchange.FailAsync(refusal == RequestBody.Refusal.Busy
                ? RequestBody.Busy(http, budget)
                : GatewayError.Of(ApiErrors.RequestTooLarge,
                    $"The request body is larger than the limit of {options.Value.MaxRequestBytes / (1024 * 1024)} MB. Send large files by URL, or split the request."));
            return;
        }

        exchange.Body = body;
        GatewayError? invalid;
        exchange.Request = exchange.Format is null ? ChatRequest.Parse(body.Memory, out invalid) : exchange.Format.Parse(body.Memory, out invalid);
        if (exchange.Request is not { } request)
        {
            await exchange.FailAsync(invalid!);
            return;
        }

        var asSent = request;
        var snapshot = catalog.Current;
        var model = snapshot.FindModel(request.Model);
        if (model is not null && exchange.Format is { } format && !format.RelaysNatively(snapshot.FindProvider(model.ProviderId)))
        {
            // The model itself is served in OpenAI's shape: translate now, so its capabilities and fallbacks are judged
            // on the whole request. (A natively relayed model's fallbacks translate only if one is tried.)
            if (format.Translated(request, out invalid) is not { } translated)
            {
                await exchange.FailAsync(invalid!);
                return;
            }

            request = translated;
        }

        if (InlineMedia.Oversized(request, options.Value.MaxInlineBytes) is { } tooLarge)
        {
            await exchange.FailAsync(tooLarge);
            return;
        }

        if ((model is null ? ModelAccess.NotFound(request.Model) : Refusal(model, identity, request)) is { } denied)
        {
            await exchange.FailAsync(denied);
            return;
        }

        exchange.SetModel(model!);
        var candidates = Candidates(model!, identity, request, snapshot);

        // The hold reads the client's own request: its output limit, and its size as sent.
        if (!await admission.ReserveCreditAsync(exchange, identity, candidates, asSent, static (r, m, _) => MaximumUsage.Chat(r, m)))
        {
            return;
        }

        if (model!.Id == DemoModel.Id)
        {
            await ServeDemoAsync(exchange, request, model);
            return;
        }

        await providerCandidates.ServeAsync(exchange, candidates, new ChatAttempt(this, exchange, request, options.Value.MaxInlineBytes));
    }

    /// <summary>Why this key may not use this model for this request, or null.</summary>
    internal static GatewayError? Refusal(CatalogModel model, ApiKeyIdentity identity, ChatRequest request) =>
        ModelAccess.Refusal(model, identity)
        ?? (request.Residency.IsEmpty ? null : request.Residency.Denial(model))
        ?? ModelCapabilities.Check(request, model);

    /// <summary>The model, then its fallbacks that this key may use and that can serve this request, in catalog order.</summary>
    private static List<CatalogModel> Candidates(CatalogModel model, ApiKeyIdentity identity, ChatRequest request, CatalogSnapshot snapshot)
    {
        var candidates = new List<CatalogModel> { model };
        foreach (var id in model.FallbackModelIds)
        {
            if (snapshot.FindModel(id) is { } fallback && fallback.Id != DemoModel.Id && Refusal(fallback, identity, request) is null && candidates.All(c => c.Id != fallback.Id))
            {
                candidates.Add(fallback);
            }
        }

        return candidates;
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
            await WriteCompletionAsync(exchange, answer, model);
            return;
        }

        var sink = await exchange.StartStreamAsync(model);
        for (var index = 0; index < answer.Choices.Count; index++)
        {
            await StreamDemoChoiceAsync(exchange, sink, index, answer.Choices[index]);
        }

        await FinishStreamAsync(exchange, request, model, answer.Usage);
    }

    /// <summary>One choice as OpenAI streams it: the role, then text pieces or a tool call's id and name and its arguments in pieces, then the finish reason.</summary>
    private static async Task StreamDemoChoiceAsync(Exchange exchange, ChunkSink sink, int index, DemoChoice choice)
    {
        sink.Delta(index, w =>
        {
            w.WriteString("role"u8, "assistant"u8);
            if (choice.Call is null)
            {
                w.WriteString("content"u8, ""u8);
            }
            else
            {
                w.WriteNull("content"u8);
            }
        });
        if (choice.Call is { } call)
        {
            sink.Delta(index, w => ChunkSink.ToolCallDelta(w, 0, call.Id, call.Name, ""));
            await exchange.SendAsync();
        }

        foreach (var piece in choice.Pieces)
        {
            sink.Delta(index, w =>
            {
                if (choice.Call is null)
                {
                    w.WriteString("content"u8, piece);
                }
                else
                {
                    ChunkSink.ToolCallDelta(w, 0, null, null, piece);
                }
            });
            await exchange.SendAsync();
        }

        sink.Delta(index, _ => { }, choice.FinishReason);
    }

    /// <summary>One request's attempts at its candidate models (one small object per request that reaches a provider).</summary>
    private sealed class ChatAttempt(ChatCompletionsHandler handler, Exchange exchange, ChatRequest request, long maxInlineBytes) : IProviderAttempt<ChatCall>
    {
        /// <summary>
        /// A request in another API's format goes to a provider speaking that API as sent, and to any other in its
        /// translation, made (and checked against the model) only when such an attempt comes.
        /// </summary>
        public GatewayError? Refusal(CatalogModel model, CatalogProvider provider)
        {
            if (exchange.Format is not { } format || format.RelaysNatively(provider))
            {
                return null;
            }

            var translated = format.Translated(request, out var untranslatable);
            return translated is null ? untranslatable
                : ReferenceEquals(translated, request) ? null
                : InlineMedia.Oversized(translated, maxInlineBytes) ?? ModelCapabilities.Check(translated, model);
        }

        public (ChatCall Call, ChatProtocol Protocol) Prepare(CatalogModel model, CatalogProvider provider, ChatProtocol protocol, ProviderSettings settings)
        {
            var native = exchange.Format?.NativeProtocol(provider);
            var sent = native is null && exchange.Format is { } format ? format.Translated(request, out _) ?? request : request;
            return (new ChatCall(sent, model, provider, settings, exchange.ResponseId, exchange.Created), native ?? protocol);
        }

        public HttpRequestMessage CreateRequest(ChatCall call, ChatProtocol protocol) => protocol.CreateRequest(call);

        public Task RelayAsync(ChatCall call, ChatProtocol protocol, HttpResponseMessage response, CancellationTokenSource deadline) =>
            request.Stream
                ? handler.RelayStreamAsync(exchange, call, protocol, response, deadline)
                : handler.RelayCompletionAsync(exchange, call, protocol, response, deadline.Token);
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
        catch (Exception e) when (UpstreamFailures.WhileReading(e, call.Model, call.Settings.Timeout, exchange.Http.RequestAborted) is { } failure)
        {
            await exchange.FailAsync(failure);
            return;
        }

        using var relayed = completion as IDisposable; // a relayed answer's pooled buffer, given back once written
        exchange.Produced(completion.Usage, reported: true);
        await WriteCompletionAsync(exchange, completion, call.Model);
    }

    private async Task WriteCompletionAsync(Exchange exchange, ChatCompletion completion, CatalogModel model)
    {
        var charge = exchange.Charge(usage, model, completion.Usage);
        var response = exchange.Http.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/json";
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

        await response.BodyWriter.FlushAsync(exchange.Http.RequestAborted);
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
                exchange.Produced(translator.UsageReported ? translator.Usage : Estimate(call.Request, translator), translator.UsageReported);
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
                ? GatewayError.Of(ApiErrors.RateLimitExceeded, $"The provider of '{call.Model.Id}' is rate-limiting requests: {UpstreamFailures.Scrub(e.Message, Secrets(call))}")
                : GatewayError.Of(ApiErrors.ProviderError, $"The provider of '{call.Model.Id}' reported an error during the stream: {UpstreamFailures.Scrub(e.Message, Secrets(call))}"));
            return;
        }
        catch (OperationCanceledException) when (!exchange.Http.RequestAborted.IsCancellationRequested)
        {
            await exchange.FailStreamAsync(UpstreamFailures.StreamStalled(call.Model, idle));
            return;
        }
        catch (Exception e) when (e is HttpRequestException or IOException)
        {
            await exchange.FailStreamAsync(UpstreamFailures.StreamCut(call.Model));
            return;
        }

        exchange.Produced(translator.UsageReported ? translator.Usage : Estimate(call.Request, translator), translator.UsageReported);
        if (!translator.Completed)
        {
            await exchange.FailStreamAsync(UpstreamFailures.StreamCut(call.Model));
            return;
        }

        await FinishStreamAsync(exchange, call.Request, call.Model, exchange.Billable!.Value.Counts);
    }

    private async Task FinishStreamAsync(Exchange exchange, ChatRequest request, CatalogModel model, UsageCounts counts)
    {
        var charge = exchange.Charge(usage, model, counts);
        if (request.IncludeUsage)
        {
            exchange.Sink!.UsageChunk(counts, charge);
        }

        exchange.Sink!.Done();
        await exchange.SendAsync();
    }

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

    [LoggerMessage(Level = LogLevel.Error, Message = "Gateway fault on request {RequestId}")]
    private static partial void LogGatewayFault(ILogger logger, Exception exception, string requestId);


    [LoggerMessage(Level = LogLevel.Warning, Message = "Request {Exchange}: the provider of {Model} answered HTTP {Status}")]
    private static partial void LogUpstreamStatus(ILogger logger, string exchange, string model, int status);
}
