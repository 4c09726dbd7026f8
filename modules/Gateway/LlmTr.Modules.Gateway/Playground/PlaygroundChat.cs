using System.IO.Pipelines;
using System.Threading.Channels;
using System.Runtime.CompilerServices;
using System.Text.Json;
using LlmTr.Modules.Gateway.Chat;
using LlmTr.Modules.Gateway.Contracts;
using LlmTr.Modules.Keys.Contracts;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace LlmTr.Modules.Gateway.Playground;

/// <summary>
/// Runs a playground conversation through the gateway's own pipeline (<see cref="ChatRelay"/>), so nothing of /v1's
/// checking, billing or usage recording is reimplemented here and the playground cannot drift from it. The request
/// body is the one an SDK would send; the answer comes back as typed events (<see cref="PlaygroundFormat"/>), never as
/// bytes to parse.
/// </summary>
internal sealed class PlaygroundChat(ChatRelay relay) : IPlaygroundChat
{
    /// <summary>Playground calls are not rate-limited per key (no key): the page sends one at a time.</summary>
    private const int RequestsPerMinute = 60;

    public async IAsyncEnumerable<PlaygroundEvent> StreamAsync(string userId, PlaygroundRequest request, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(userId);
        using var aborted = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var exchange = new InProcessExchange(Body(request), aborted);
        exchange.Context.Features.Set(new ApiKeyIdentity(PlaygroundKey.For(userId), userId, PlaygroundKey.Name, RequestsPerMinute, null, ApiKeyScope.Unrestricted));
        var events = Channel.CreateUnbounded<PlaygroundEvent>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        var running = RunAsync(exchange, new PlaygroundFormat(events.Writer));
        var ended = false;
        try
        {
            await foreach (var item in events.Reader.ReadAllAsync(aborted.Token))
            {
                ended = item is PlaygroundFinished or PlaygroundFailed;
                yield return item;
                if (ended)
                {
                    yield break;
                }
            }

            yield return new PlaygroundFailed(exchange.Headers[ApiAnswers.RequestIdHeader].ToString(), StatusCodes.Status500InternalServerError, "internal_error", "The gateway ended the request without an answer.");
        }
        finally
        {
            // A reader that stops early (the user left the page) cancels the request, as a client disconnecting would.
            if (!ended)
            {
                await aborted.CancelAsync();
            }

            await running;
        }
    }

    private async Task RunAsync(InProcessExchange exchange, PlaygroundFormat format)
    {
        try
        {
            await relay.HandleAsync(exchange.Context, format);
        }
        finally
        {
            format.Complete();
        }
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
    /// An HTTP exchange that never touches a socket: the request body from memory, no response body (the answer goes to
    /// the playground as events), and cancellation standing in for a client that went away.
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
        }

        public HttpContext Context { get; }

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

        public Stream Stream => System.IO.Stream.Null;

        public PipeWriter Writer { get; } = PipeWriter.Create(System.IO.Stream.Null);

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
