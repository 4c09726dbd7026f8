using System.Text.Json;
using LlmTr.Modules.Billing.Contracts;

namespace LlmTr.Modules.Gateway.Protocols;

/// <summary>
/// OpenAI's <c>chat.completion</c> body with one choice, for answers the gateway composes itself (the demo model, and
/// adapters that translate another protocol's answer) rather than passing the provider's body through.
/// </summary>
internal static class OpenAiCompletionWriter
{
    /// <param name="content">The message text; null when the answer is only tool calls (as OpenAI sends it).</param>
    public static void Write(Utf8JsonWriter writer, ResponseStamp stamp, string? content, IReadOnlyList<OpenAiToolCall> toolCalls, string finishReason, UsageCounts usage)
    {
        stamp.BeginCompletion(writer);
        writer.WriteStartArray("choices"u8);
        WriteChoice(writer, 0, content, toolCalls, finishReason);
        writer.WriteEndArray();
        OpenAiUsage.Write(writer, usage, stamp.Charge);
        writer.WriteEndObject();
    }

    /// <summary>One element of <c>choices</c>: the message with its text or tool calls, and why it ended.</summary>
    public static void WriteChoice(Utf8JsonWriter writer, int index, string? content, IReadOnlyList<OpenAiToolCall> toolCalls, string finishReason)
    {
        writer.WriteStartObject();
        writer.WriteNumber("index"u8, index);
        writer.WriteStartObject("message"u8);
        writer.WriteString("role"u8, "assistant"u8);
        writer.WriteString("content"u8, content);
        writer.WriteNull("refusal"u8);
        if (toolCalls.Count > 0)
        {
            writer.WriteStartArray("tool_calls"u8);
            foreach (var call in toolCalls)
            {
                writer.WriteStartObject();
                writer.WriteString("id"u8, call.Id);
                writer.WriteString("type"u8, "function"u8);
                writer.WriteStartObject("function"u8);
                writer.WriteString("name"u8, call.Name);
                writer.WriteString("arguments"u8, call.Arguments);
                writer.WriteEndObject();
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        writer.WriteEndObject();
        writer.WriteNull("logprobs"u8);
        writer.WriteString("finish_reason"u8, finishReason);
        writer.WriteEndObject();
    }
}

/// <summary>One tool call of an answer, its arguments a JSON text as OpenAI carries them.</summary>
internal sealed record OpenAiToolCall(string Id, string Name, string Arguments);
