using System.Buffers;
using System.Threading.Channels;
using LlmTr.Modules.Billing.Contracts;
using LlmTr.Modules.Gateway.Chat;
using LlmTr.Modules.Gateway.Contracts;
using LlmTr.Modules.Gateway.Protocols;
using LlmTr.SharedKernel;
using LlmTr.Modules.Gateway.Pipeline;

namespace LlmTr.Modules.Gateway.Playground;

/// <summary>
/// The playground as a client of the chat pipeline: its request is an OpenAI chat request, and its answer the typed
/// events the page shows (text as it comes, then the usage and cost, or the error), delivered in process.
/// </summary>
internal sealed class PlaygroundFormat(ChannelWriter<PlaygroundEvent> events) : AnswerFormat
{
    public override ChatRequest? Parse(ReadOnlyMemory<byte> body, out GatewayError? error) => ChatRequest.Parse(body, out error);

    public override Task WriteErrorAsync(AnswerTarget target, GatewayError error, string requestId)
    {
        target.StatusCode = error.Status; // the usage row records the status an API call would have got
        events.TryWrite(new PlaygroundFailed(requestId, error.Status, error.Error.Code ?? "", error.Error.Message));
        return Task.CompletedTask;
    }

    /// <summary>The playground always streams.</summary>
    public override void WriteCompletion(IBufferWriter<byte> output, ChatCompletion completion, ResponseStamp stamp) =>
        throw new NotSupportedException("The playground asks for a streamed answer.");

    public override ChunkSink CreateStream(string id, string model, long created, string requestId) => new Events(events, id, model, created, requestId);

    /// <summary>No more events: the request has ended.</summary>
    public void Complete() => events.TryComplete();

    private sealed class Events(ChannelWriter<PlaygroundEvent> events, string id, string model, long created, string requestId) : ChunkSink(id, model, created)
    {
        private PlaygroundFinished? _finished;
        private string? _finishReason;

        public override void Text(int choice, string text)
        {
            if (choice == 0 && text.Length > 0)
            {
                events.TryWrite(new PlaygroundDelta(text));
            }
        }

        public override void Refusal(int choice, string text) => Text(choice, text);

        public override void ToolCall(int choice, int call, string? id, string? name, string arguments)
        {
            // The playground offers no tools.
        }

        public override void Finish(int choice, string reason)
        {
            if (choice == 0)
            {
                _finishReason = reason;
            }
        }

        public override void Usage(UsageCounts usage, UsageCharge charge) =>
            _finished = new PlaygroundFinished(requestId, usage.PromptTokens, usage.CompletionTokens, charge.Cost, charge.Currency, null);

        public override void Done() => events.TryWrite(_finished is { } finished
            ? finished with { FinishReason = _finishReason }
            : new PlaygroundFailed(requestId, 200, "stream_cut", "The answer ended before the model finished."));

        public override void Error(OpenAiError error) => events.TryWrite(new PlaygroundFailed(requestId, 200, error.Code ?? "", error.Message));
    }
}
