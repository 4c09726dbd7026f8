using System.IO.Pipelines;
using System.Threading.Channels;
using System.Runtime.CompilerServices;
using System.Text.Json;
using LlmTr.Modules.Gateway.Chat;
using LlmTr.Modules.Gateway.Contracts;
using LlmTr.Modules.Gateway.Pipeline;
using LlmTr.Modules.Keys.Contracts;

namespace LlmTr.Modules.Gateway.Playground;

/// <summary>
/// Runs a playground conversation through the gateway's own pipeline (<see cref="ChatRelay"/>), so nothing of /v1's
/// checking, billing or usage recording is reimplemented here and the playground cannot drift from it. The request
/// body is the one an SDK would send; the answer comes back as typed events (<see cref="PlaygroundFormat"/>), never as
/// bytes to parse.
/// </summary>
internal sealed class PlaygroundChat(ChatRelay relay, IOrganisationRules rules) : IPlaygroundChat
{
    /// <summary>Playground calls are not rate-limited per key (no key): the page sends one at a time.</summary>
    private const int RequestsPerMinute = 60;

    public async IAsyncEnumerable<PlaygroundEvent> StreamAsync(
        string accountId, string userId, PlaygroundRequest request, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(accountId);
        ArgumentException.ThrowIfNullOrEmpty(userId);
        using var aborted = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var identity = rules.ForMember(PlaygroundKey.For(accountId, userId), accountId, userId, PlaygroundKey.Name, RequestsPerMinute);
        var events = Channel.CreateUnbounded<PlaygroundEvent>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        var answer = new InProcessAnswer(aborted);
        var running = RunAsync(answer, identity, Body(request), new PlaygroundFormat(events.Writer));
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

            yield return new PlaygroundFailed(answer.RequestId, 500, "internal_error", "The gateway ended the request without an answer.");
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

    private async Task RunAsync(InProcessAnswer answer, ApiKeyIdentity identity, byte[] body, PlaygroundFormat format)
    {
        try
        {
            await relay.RunAsync(answer, identity, body, format);
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
    /// The answer of a request made in process: the events go to the playground through its format, so no bytes are
    /// written anywhere; cancellation stands in for a client that went away.
    /// </summary>
    private sealed class InProcessAnswer(CancellationTokenSource aborted) : AnswerTarget
    {
        private readonly Dictionary<string, string> _headers = new(StringComparer.OrdinalIgnoreCase);
        private bool _started;

        /// <summary>The request's id, as an API call gets it in <c>x-request-id</c>.</summary>
        public string RequestId => _headers.TryGetValue(ApiAnswers.RequestIdHeader, out var id) ? id : "";

        public override CancellationToken Aborted => aborted.Token;

        public override bool HasStarted => _started;

        public override int StatusCode { get; set; } = 200;

        public override string? ContentType { get; set; }

        public override Stream Body => Stream.Null;

        public override PipeWriter BodyWriter { get; } = PipeWriter.Create(Stream.Null);

        public override void SetHeader(string name, string value) => _headers[name] = value;

        public override Task StartStreamAsync()
        {
            _started = true;
            return Task.CompletedTask;
        }

        public override Task SendAsync(ReadOnlyMemory<byte> bytes) => Task.CompletedTask;

        public override void Abort() => aborted.Cancel();
    }
}
