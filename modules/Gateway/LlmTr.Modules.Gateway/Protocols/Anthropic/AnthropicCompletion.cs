using System.Text;
using System.Text.Json;
using LlmTr.Modules.Billing.Contracts;

namespace LlmTr.Modules.Gateway.Protocols.Anthropic;

/// <summary>
/// A Messages API answer as an OpenAI <c>chat.completion</c>: text blocks join into the message content, tool_use blocks
/// become tool calls with their input as the JSON-text arguments, and the <c>json_schema</c> answer tool's input becomes
/// the content. Thinking and server-tool blocks have no place in OpenAI's message and are left out.
/// </summary>
internal sealed class AnthropicCompletion(string? content, IReadOnlyList<OpenAiToolCall> toolCalls, string finishReason, UsageCounts usage) : ChatCompletion
{
    public string? Content { get; } = content;

    public IReadOnlyList<OpenAiToolCall> ToolCalls { get; } = toolCalls;

    public string FinishReason { get; } = finishReason;

    public override UsageCounts Usage { get; } = usage;

    /// <param name="answerTool">The name of the <c>json_schema</c> answer tool, when the request used one.</param>
    public static AnthropicCompletion Read(JsonElement body, string? answerTool)
    {
        if (body.ValueKind != JsonValueKind.Object || !body.TryGetProperty("content", out var blocks) || blocks.ValueKind != JsonValueKind.Array)
        {
            throw new UpstreamProtocolException("The provider's answer has no 'content'.");
        }

        try
        {
            return Translate(body, blocks, answerTool);
        }
        catch (Exception e) when (e is KeyNotFoundException or InvalidOperationException)
        {
            throw new UpstreamProtocolException("The provider's answer has a content block that could not be read.");
        }
    }

    private static AnthropicCompletion Translate(JsonElement body, JsonElement blocks, string? answerTool)
    {
        var text = new StringBuilder();
        var calls = new List<OpenAiToolCall>();
        var answered = false;
        foreach (var block in blocks.EnumerateArray())
        {
            if (block.ValueKind != JsonValueKind.Object || !block.TryGetProperty("type", out var type))
            {
                throw new UpstreamProtocolException("The provider's answer has a content block without a type.");
            }

            if (type.ValueEquals("text"u8))
            {
                text.Append(block.GetProperty("text").GetString());
            }
            else if (type.ValueEquals("tool_use"u8))
            {
                var name = block.GetProperty("name").GetString()!;
                var input = block.GetProperty("input").GetRawText();
                if (name == answerTool)
                {
                    text.Append(input);
                    answered = true;
                }
                else
                {
                    calls.Add(new OpenAiToolCall(block.GetProperty("id").GetString()!, name, input));
                }
            }
        }

        var stopReason = body.TryGetProperty("stop_reason", out var reason) && reason.ValueKind == JsonValueKind.String ? reason.GetString() : null;
        var usage = body.TryGetProperty("usage", out var counts) ? default(AnthropicUsage).With(counts).ToCounts() : UsageCounts.None;
        return new AnthropicCompletion(
            text.Length > 0 || calls.Count == 0 ? text.ToString() : null,
            calls,
            AnthropicStopReason.ToFinishReason(stopReason, answered),
            usage);
    }

    public override void WriteTo(Utf8JsonWriter writer, ResponseStamp stamp) =>
        OpenAiCompletionWriter.Write(writer, stamp, Content, ToolCalls, FinishReason, Usage);
}
