using System.Buffers;
using System.Text.Json;
using LlmTr.Modules.Gateway.Protocols;

namespace LlmTr.Modules.Gateway.Responses;

/// <summary>
/// Writes an answer the pipeline produced in OpenAI's chat shape as a Responses API <c>response</c>: reasoning text (when
/// the provider returned any) as a <c>reasoning</c> item, the text or refusal as a <c>message</c> item, each tool call as a
/// <c>function_call</c> item (a <c>custom_tool_call</c> for a freeform tool), the finish reason as the status, and usage in the Responses API's terms with LLMTR's cost.
/// </summary>
internal static class ResponseAnswer
{
    /// <param name="completedAt">When the answer was complete (Unix seconds).</param>
    public static void Write(IBufferWriter<byte> output, ChatCompletion completion, ResponseStamp stamp, ResponseEcho echo, long completedAt)
    {
        var openAi = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(openAi))
        {
            completion.WriteTo(writer, stamp);
        }

        using var document = JsonDocument.Parse(openAi.WrittenMemory);
        var choice = document.RootElement.GetProperty("choices")[0];
        var message = choice.GetProperty("message");
        var suffix = ResponseObject.Suffix(stamp.Id);
        var items = Items(message, suffix, echo);
        var (status, reason) = ResponseObject.Outcome(choice.TryGetProperty("finish_reason", out var finish) && finish.ValueKind == JsonValueKind.String ? finish.GetString() : null);
        using var json = new Utf8JsonWriter(output, ResponseObject.WriterOptions);
        ResponseObject.Write(json, new ResponseState(suffix, stamp.Created, completedAt, stamp.Model, status, reason, null, items, completion.Usage, stamp.Charge), echo);
    }

    /// <summary>The output items of one chat answer's message, in the order a reader meets them.</summary>
    public static List<OutputItem> Items(JsonElement message, string suffix, ResponseEcho echo)
    {
        var items = new List<OutputItem>(2);
        foreach (var name in (ReadOnlySpan<string>)["reasoning_content", "reasoning"])
        {
            if (message.TryGetProperty(name, out var reasoning) && reasoning.ValueKind == JsonValueKind.String && reasoning.GetString() is { Length: > 0 } thought)
            {
                var item = OutputItem.Reasoning("rs_" + suffix);
                item.Text.Append(thought);
                items.Add(item);
                break;
            }
        }

        var text = message.TryGetProperty("content", out var content) && content.ValueKind == JsonValueKind.String ? content.GetString() : null;
        var refusal = message.TryGetProperty("refusal", out var r) && r.ValueKind == JsonValueKind.String ? r.GetString() : null;
        var calls = message.TryGetProperty("tool_calls", out var c) && c.ValueKind == JsonValueKind.Array ? c : default;
        if (!string.IsNullOrEmpty(text) || refusal is not null || calls.ValueKind != JsonValueKind.Array)
        {
            var item = OutputItem.Message("msg_" + suffix);
            item.Text.Append(text);
            item.Refusal = refusal;
            items.Add(item);
        }

        if (calls.ValueKind == JsonValueKind.Array)
        {
            var index = 0;
            foreach (var call in calls.EnumerateArray())
            {
                var function = call.GetProperty("function");
                var callId = call.GetProperty("id").GetString() ?? "";
                var name = function.GetProperty("name").GetString() ?? "";
                var item = OutputItem.Call(echo, $"{suffix}_{index++}", callId, name);
                item.Text.Append(function.TryGetProperty("arguments", out var arguments) ? arguments.GetString() : null);
                items.Add(item);
            }
        }

        return items;
    }
}
