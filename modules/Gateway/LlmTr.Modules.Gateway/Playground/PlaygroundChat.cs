using System.IO.Pipelines;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text.Json;
using LlmTr.Modules.Gateway.Chat;
using LlmTr.Modules.Gateway.Contracts;
using LlmTr.Modules.Keys.Contracts;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace LlmTr.Modules.Gateway.Playground;

/// <summary>
/// Runs a playground conversation through <see cref="ChatCompletionsHandler"/> itself, on an in-process HTTP exchange:
/// the request body is the one an SDK would send, the answer is read back from the same SSE stream an SDK would read.
/// Nothing of /v1's checking, billing or usage recording is reimplemented here, so the playground cannot drift from it.
/// </summary>
internal sealed class PlaygroundChat(ChatCompletionsHandler handler) : IPlaygroundChat
{
    /// <summary>Playground calls are not rate-limited per key (no key): the page sends one at a time.</summary>
    private const int RequestsPerMinute = 60;

    public async IAsyncEnumerable<PlaygroundEvent> StreamAsync(string userId, PlaygroundRequest request, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(userId);
        using var aborted = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var exchange = new InProcessExchange(Body(request), aborted);
        exchange.Context.Features.Set(new ApiKeyIdentity(PlaygroundKey.For(userId), userId, PlaygroundKey.Name, RequestsPerMinute, null, ApiKeyScope.Unrestricted));

        var running = RunAsync(exchange);
        try
        {
            await foreach (var item in ReadAsync(exchange, aborted.Token))
            {
                yield return item;
            }
        }
        finally
        {
            // A reader that stops early (the user left the page) cancels the request, as a client disconnecting would.
            await aborted.CancelAsync();
            await exchange.Pipe.Reader.CompleteAsync();
            await running;
        }
    }

    private async Task RunAsync(InProcessExchange exchange)
    {
        try
        {
            await handler.HandleAsync(exchange.Context);
        }
        finally
        {
            await exchange.Pipe.Writer.CompleteAsync();
        }
    }

    private static async IAsyncEnumerable<PlaygroundEvent> ReadAsync(InProcessExchange exchange, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var stream = exchange.Pipe.Reader.AsStream(leaveOpen: true);

        // Wait for the first bytes: only then is it known whether this is a stream or an error object.
        var first = await exchange.Pipe.Reader.ReadAsync(cancellationToken);
        var requestId = exchange.Context.Response.Headers["x-request-id"].ToString();
        var empty = first.Buffer.IsEmpty;
        exchange.Pipe.Reader.AdvanceTo(first.Buffer.Start);
        if (empty)
        {
            yield return new PlaygroundFailed(requestId, StatusCodes.Status500InternalServerError, "internal_error", "The gateway ended the request without an answer.");
            yield break;
        }

        if (exchange.Context.Response.StatusCode != StatusCodes.Status200OK)
        {
            using var document = await JsonDocument.ParseAsync(stream, cancellationToken: cancellationToken);
            yield return Failure(requestId, exchange.Context.Response.StatusCode, document.RootElement);
            yield break;
        }

        PlaygroundFinished? finished = null;
        string? finishReason = null;
        await foreach (var item in SseParser.Create(stream).EnumerateAsync(cancellationToken))
        {
            if (item.Data == "[DONE]")
            {
                break;
            }

            using var chunk = JsonDocument.Parse(item.Data);
            var root = chunk.RootElement;
            if (root.TryGetProperty("error", out _))
            {
                yield return Failure(requestId, StatusCodes.Status200OK, root);
                yield break;
            }

            if (root.TryGetProperty("choices", out var choices) && choices.GetArrayLength() > 0)
            {
                var choice = choices[0];
                if (choice.TryGetProperty("finish_reason", out var reason) && reason.ValueKind == JsonValueKind.String)
                {
                    finishReason = reason.GetString();
                }

                if (choice.TryGetProperty("delta", out var delta) && delta.TryGetProperty("content", out var content)
                    && content.ValueKind == JsonValueKind.String && content.GetString() is { Length: > 0 } text)
                {
                    yield return new PlaygroundDelta(text);
                }
            }

            if (root.TryGetProperty("usage", out var usage) && usage.ValueKind == JsonValueKind.Object)
            {
                finished = new PlaygroundFinished(
                    requestId,
                    usage.GetProperty("prompt_tokens").GetInt64(),
                    usage.GetProperty("completion_tokens").GetInt64(),
                    usage.TryGetProperty("cost", out var cost) ? cost.GetDecimal() : 0m,
                    usage.TryGetProperty("cost_currency", out var currency) && currency.ValueKind == JsonValueKind.String ? currency.GetString()! : "",
                    null);
            }
        }

        yield return finished is null
            ? new PlaygroundFailed(requestId, StatusCodes.Status200OK, "stream_cut", "The answer ended before the model finished.")
            : finished with { FinishReason = finishReason };
    }

    private static PlaygroundFailed Failure(string requestId, int status, JsonElement root)
    {
        var error = root.GetProperty("error");
        return new PlaygroundFailed(
            requestId,
            status,
            error.TryGetProperty("code", out var code) && code.ValueKind == JsonValueKind.String ? code.GetString()! : "",
            error.TryGetProperty("message", out var message) ? message.GetString() ?? "" : "");
    }

    /// <summary>The body an SDK would send: streaming, with the usage chunk asked for so the cost comes back.</summary>
    private static byte[] Body(PlaygroundRequest request)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("model", request.Model);
            writer.WriteStartArray("messages");
            foreach (var message in request.Messages)
            {
                writer.WriteStartObject();
                writer.WriteString("role", message.Role);
                writer.WriteString("content", message.Content);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            if (request.Temperature is { } temperature)
            {
                writer.WriteNumber("temperature", temperature);
            }

            if (request.MaxTokens is { } maxTokens)
            {
                writer.WriteNumber("max_tokens", maxTokens);
            }

            writer.WriteBoolean("stream", true);
            writer.WriteStartObject("stream_options");
            writer.WriteBoolean("include_usage", true);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary>
    /// An HTTP exchange that never touches a socket: the request body from memory, the response into a pipe the
    /// playground reads, and cancellation standing in for a client that went away.
    /// </summary>
    private sealed class InProcessExchange : IHttpResponseFeature, IHttpResponseBodyFeature, IHttpRequestLifetimeFeature
    {
        private readonly CancellationTokenSource _aborted;

        public InProcessExchange(byte[] body, CancellationTokenSource aborted)
        {
            _aborted = aborted;
            var features = new FeatureCollection();
            features.Set<IHttpRequestFeature>(new HttpRequestFeature
            {
                Method = HttpMethods.Post,
                Scheme = "http",
                Path = "/v1/chat/completions",
                Body = new MemoryStream(body, writable: false),
                Headers = new HeaderDictionary { ["Content-Type"] = "application/json", ["Content-Length"] = body.Length.ToString(System.Globalization.CultureInfo.InvariantCulture) },
            });
            features.Set<IHttpResponseFeature>(this);
            features.Set<IHttpResponseBodyFeature>(this);
            features.Set<IHttpRequestLifetimeFeature>(this);
            Context = new DefaultHttpContext(features);
            Stream = Pipe.Writer.AsStream();
        }

        public HttpContext Context { get; }

        public Pipe Pipe { get; } = new();

        public int StatusCode { get; set; } = StatusCodes.Status200OK;

        public string? ReasonPhrase { get; set; }

        public IHeaderDictionary Headers { get; set; } = new HeaderDictionary();

        [Obsolete("Use IHttpResponseBodyFeature.Stream.")]
        public Stream Body
        {
            get => Stream;
            set => throw new NotSupportedException();
        }

        public bool HasStarted { get; private set; }

        public Stream Stream { get; }

        public PipeWriter Writer => Pipe.Writer;

        public CancellationToken RequestAborted
        {
            get => _aborted.Token;
            set => throw new NotSupportedException();
        }

        public void Abort() => _aborted.Cancel();

        public void OnStarting(Func<object, Task> callback, object state)
        {
        }

        public void OnCompleted(Func<object, Task> callback, object state)
        {
        }

        public void DisableBuffering()
        {
        }

        public Task StartAsync(CancellationToken cancellationToken = default)
        {
            HasStarted = true;
            return Task.CompletedTask;
        }

        public Task SendFileAsync(string path, long offset, long? count, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public Task CompleteAsync() => Task.CompletedTask;
    }
}
