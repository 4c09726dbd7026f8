using System.Net.ServerSentEvents;
using System.Text.Json;

namespace LlmTr.Modules.Gateway.Protocols.Gemini;

/// <summary>
/// Gemini's stream as OpenAI chunks. Each SSE data item is a whole <c>GenerateContentResponse</c> holding the next
/// piece of each candidate. The first chunk of each choice carries the assistant role; text goes out as content
/// deltas; a function call arrives whole and goes out as one tool call delta with its full arguments; a finishReason
/// closes the choice. Gemini sends no end marker (the connection just closes), so the answer is complete once every
/// requested candidate has finished; the usage comes with those chunks, the last one counting.
/// </summary>
internal sealed class GeminiStreamTranslator(int candidateCount) : ChatStreamTranslator
{
    private readonly Dictionary<int, ChoiceState> _choices = [];
    private int _finished;
    private bool _grounded;

    public override void OnEvent(SseItem<ReadOnlyMemory<byte>> item, ChunkSink sink)
    {
        if (item.Data.Span.SequenceEqual("[DONE]"u8))
        {
            return;
        }

        using var document = Parse(item.Data);
        var response = document.RootElement;
        if (response.TryGetProperty("error", out var error))
        {
            throw StreamError(response, error);
        }

        // Grounding may come in an earlier chunk than the usage: once seen, it stays with every later count.
        _grounded |= GeminiUsage.Grounded(response);
        if (response.TryGetProperty("usageMetadata", out var metadata) && metadata.ValueKind == JsonValueKind.Object)
        {
            Usage = GeminiUsage.Read(metadata, _grounded);
            UsageReported = true;
        }
        else if (_grounded && Usage.WebSearches == 0)
        {
            Usage = Usage with { WebSearches = 1 };
        }

        var answered = false;
        foreach (var candidate in GeminiCandidate.ReadAll(response))
        {
            answered = true;
            Relay(candidate, sink);
        }

        if (!answered && GeminiCandidate.BlockedPrompt(response) is { } refusal)
        {
            sink.Role(0, callsFirst: true);
            sink.Refusal(0, refusal);
            sink.Finish(0, GeminiFinishReasons.ContentFilter);
            Completed = true;
        }
    }

    private void Relay(GeminiCandidate candidate, ChunkSink sink)
    {
        if (!_choices.TryGetValue(candidate.Index, out var choice))
        {
            choice = new ChoiceState();
            _choices[candidate.Index] = choice;
        }

        if (choice.Finished)
        {
            return;
        }

        if (candidate.Text.Length > 0 || candidate.Calls.Count > 0)
        {
            GeneratedCharacters += candidate.Text.Length + candidate.Calls.Sum(c => c.Arguments.Length);
            choice.Start(sink, candidate.Index, callsFirst: candidate.Text.Length == 0);
            if (candidate.Text.Length > 0)
            {
                sink.Text(candidate.Index, candidate.Text);
            }

            foreach (var call in candidate.Calls)
            {
                sink.ToolCall(candidate.Index, choice.Calls++, call.Id, call.Name, call.Arguments);
            }
        }

        if (candidate.FinishReason is { } reason)
        {
            choice.Finished = true;
            choice.Start(sink, candidate.Index, callsFirst: false);
            sink.Finish(candidate.Index, GeminiFinishReasons.ToOpenAi(reason, choice.Calls > 0));
            Completed = ++_finished >= candidateCount;
        }
    }

    private static JsonDocument Parse(ReadOnlyMemory<byte> data)
    {
        try
        {
            var document = JsonDocument.Parse(data);
            if (document.RootElement.ValueKind == JsonValueKind.Object)
            {
                return document;
            }

            document.Dispose();
        }
        catch (JsonException)
        {
            // Told below, the same as any other unreadable event.
        }

        throw new UpstreamStreamException("The provider sent a stream event that is not a response object.");
    }

    /// <summary>An error inside the stream: <c>{"error": {"code", "message", "status"}}</c>; RESOURCE_EXHAUSTED is Gemini's 429.</summary>
    private static UpstreamStreamException StreamError(JsonElement response, JsonElement error)
    {
        var rateLimited = error.ValueKind == JsonValueKind.Object
            && ((error.TryGetProperty("status", out var status) && status.ValueEquals("RESOURCE_EXHAUSTED"u8))
                || (error.TryGetProperty("code", out var code) && code.ValueKind == JsonValueKind.Number && code.TryGetInt32(out var httpStatus) && httpStatus == 429));
        return new UpstreamStreamException(ChatProtocol.OpenAiErrorMessage(response) ?? "The provider reported an error during the stream.", rateLimited);
    }

    private sealed class ChoiceState
    {
        private bool _started;

        public int Calls { get; set; }

        public bool Finished { get; set; }

        /// <summary>A choice's turn begins once, with its first piece.</summary>
        public void Start(ChunkSink sink, int index, bool callsFirst)
        {
            if (!_started)
            {
                _started = true;
                sink.Role(index, callsFirst);
            }
        }
    }
}
