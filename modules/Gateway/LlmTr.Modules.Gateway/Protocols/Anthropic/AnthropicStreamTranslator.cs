using System.Net.ServerSentEvents;
using System.Text.Json;

namespace LlmTr.Modules.Gateway.Protocols.Anthropic;

/// <summary>
/// Anthropic's stream (<c>message_start</c>, then per content block <c>content_block_start</c>, deltas and
/// <c>content_block_stop</c>, then <c>message_delta</c> and <c>message_stop</c>) as OpenAI chunks, one chunk per event
/// that carries something: the role on <c>message_start</c>, text deltas as content, a tool_use block as one tool call
/// (its id and name first, then its input JSON piece by piece as arguments), the stop reason as the finish reason.
/// Thinking blocks, pings and event types added later are skipped.
/// </summary>
internal sealed class AnthropicStreamTranslator(string? answerTool) : ChatStreamTranslator
{
    private const int Choice = 0;

    // Anthropic numbers content blocks across the message; OpenAI numbers tool calls among themselves.
    private readonly Dictionary<int, int> _toolCallOfBlock = [];
    private readonly HashSet<int> _answerBlocks = [];
    private AnthropicUsage _usage;

    public override void OnEvent(SseItem<ReadOnlyMemory<byte>> item, ChunkSink sink)
    {
        using (var document = ParseEvent(item))
        {
            var data = document.RootElement;
            if (data.ValueKind != JsonValueKind.Object || !data.TryGetProperty("type", out var type))
            {
                throw new UpstreamStreamException("The provider sent a stream event without a type.");
            }

            try
            {
                Handle(type.GetString(), data, sink);
            }
            catch (Exception e) when (e is KeyNotFoundException or InvalidOperationException)
            {
                throw new UpstreamStreamException($"The provider sent a '{type.GetString()}' event that could not be read.");
            }
        }
    }

    private void Handle(string? type, JsonElement data, ChunkSink sink)
    {
        switch (type)
        {
            case "message_start":
                // Input (and cache) counts are known now; output is final only with message_delta, so a stream cut
                // before it is billed on the gateway's estimate of what was generated.
                if (data.GetProperty("message").TryGetProperty("usage", out var start))
                {
                    _usage = _usage.With(start);
                }


                Usage = _usage.ToCounts();
                sink.Role(Choice, callsFirst: false);
                break;
            case "content_block_start":
                StartBlock(data.GetProperty("index").GetInt32(), data.GetProperty("content_block"), sink);
                break;
            case "content_block_delta":
                Delta(data.GetProperty("index").GetInt32(), data.GetProperty("delta"), sink);
                break;
            case "message_delta":
                if (data.TryGetProperty("usage", out var usage))
                {
                    _usage = _usage.With(usage);
                    Usage = _usage.ToCounts();
                    UsageReported = true;
                }

                if (data.GetProperty("delta").TryGetProperty("stop_reason", out var reason) && reason.ValueKind == JsonValueKind.String)
                {
                    sink.Finish(Choice, AnthropicStopReason.ToFinishReason(reason.GetString(), _answerBlocks.Count > 0));
                }

                break;
            case "message_stop":
                Completed = true;
                break;
            case "error":
                throw StreamError(data);
        }
    }

    private void StartBlock(int index, JsonElement block, ChunkSink sink)
    {
        var kind = block.GetProperty("type");
        if (kind.ValueEquals("text"u8))
        {
            Text(block.GetProperty("text").GetString()!, sink);
        }
        else if (kind.ValueEquals("tool_use"u8))
        {
            var name = block.GetProperty("name").GetString()!;
            if (name == answerTool)
            {
                _answerBlocks.Add(index);
                return;
            }

            var call = _toolCallOfBlock.Count;
            _toolCallOfBlock[index] = call;
            var id = block.GetProperty("id").GetString()!;
            sink.ToolCall(Choice, call, id, name, "");
        }
    }

    private void Delta(int index, JsonElement delta, ChunkSink sink)
    {
        var kind = delta.GetProperty("type");
        if (kind.ValueEquals("text_delta"u8))
        {
            Text(delta.GetProperty("text").GetString()!, sink);
        }
        else if (kind.ValueEquals("input_json_delta"u8))
        {
            var json = delta.GetProperty("partial_json").GetString()!;
            if (_answerBlocks.Contains(index))
            {
                Text(json, sink);
            }
            else if (json.Length > 0 && _toolCallOfBlock.TryGetValue(index, out var call))
            {
                GeneratedCharacters += json.Length;
                sink.ToolCall(Choice, call, null, null, json);
            }
        }
    }

    private void Text(string text, ChunkSink sink)
    {
        if (text.Length == 0)
        {
            return;
        }

        GeneratedCharacters += text.Length;
        sink.Text(Choice, text);
    }


    /// <summary>An <c>error</c> event; overloaded and rate-limited answers are the provider saying "not now".</summary>
    private static UpstreamStreamException StreamError(JsonElement data)
    {
        var error = data.TryGetProperty("error", out var body) && body.ValueKind == JsonValueKind.Object ? body : default;
        var kind = error.ValueKind == JsonValueKind.Object && error.TryGetProperty("type", out var type) ? type.GetString() : null;
        return new UpstreamStreamException(
            ChatProtocol.OpenAiErrorMessage(data) ?? "The provider reported an error during the stream.",
            rateLimited: kind is "overloaded_error" or "rate_limit_error");
    }
}
