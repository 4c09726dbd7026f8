using System.Text.Json;
using LlmTr.Modules.Gateway.Chat;

namespace LlmTr.Modules.Gateway.Protocols.Anthropic;

/// <summary>
/// OpenAI's <c>response_format</c>, which the Messages API has no field for. <c>json_object</c> becomes a system
/// instruction. <c>json_schema</c> becomes an answer tool the model is forced to call: Anthropic validates tool input
/// against its schema, so the tool's input is the structured answer, and it is returned as the message's content
/// (never as a tool call). Where a tool cannot be forced (the request has tools of its own, or extended thinking,
/// which allows no forced tool), the schema goes into the system instruction instead.
/// </summary>
internal sealed record AnthropicJsonOutput(string? Instruction, AnswerTool? AnswerTool)
{
    public const string JsonObjectInstruction =
        "Respond with one valid JSON object and nothing else: no text before or after it, and no Markdown code fences.";

    private const string DefaultToolName = "json_answer";
    private const string DefaultToolDescription = "Give your final answer as this tool's input. Call it exactly once.";
    private const int MaxToolName = 64;

    private static readonly AnthropicJsonOutput None = new(null, null);
    private static readonly AnthropicJsonOutput JsonObject = new(JsonObjectInstruction, null);

    public static AnthropicJsonOutput For(ChatRequest request)
    {
        if (request.Property("response_format") is not { ValueKind: JsonValueKind.Object } format || !format.TryGetProperty("type", out var type))
        {
            return None;
        }

        if (type.ValueEquals("json_object"u8))
        {
            return JsonObject;
        }

        if (!type.ValueEquals("json_schema"u8) || !format.TryGetProperty("json_schema", out var spec) || spec.ValueKind != JsonValueKind.Object)
        {
            return None;
        }

        JsonElement? schema = spec.TryGetProperty("schema", out var body) && body.ValueKind == JsonValueKind.Object ? body : null;
        if (HasOwnTools(request) || ThinkingEnabled(request))
        {
            return new AnthropicJsonOutput(SchemaInstruction(schema), null);
        }

        var description = spec.TryGetProperty("description", out var text) && text.ValueKind == JsonValueKind.String ? text.GetString()! : DefaultToolDescription;
        return new AnthropicJsonOutput(null, new AnswerTool(ToolName(spec), description, schema));
    }

    private static string SchemaInstruction(JsonElement? schema) => schema is { } body
        ? "Respond with one valid JSON value that conforms to this JSON Schema, and nothing else: no text before or after it, and no Markdown code fences.\n"
            + body.GetRawText()
        : JsonObjectInstruction;

    private static bool HasOwnTools(ChatRequest request) =>
        request.Property("tools") is { ValueKind: JsonValueKind.Array } tools && tools.GetArrayLength() > 0;

    private static bool ThinkingEnabled(ChatRequest request) =>
        request.Property("thinking") is { ValueKind: JsonValueKind.Object } thinking
        && !(thinking.TryGetProperty("type", out var kind) && kind.ValueEquals("disabled"u8));

    /// <summary>The schema's name as a tool name (letters, digits, '_' and '-', at most 64): it tells the model what the answer is.</summary>
    private static string ToolName(JsonElement spec)
    {
        var name = spec.TryGetProperty("name", out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : "";
        var chars = name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' ? c : '_').Take(MaxToolName).ToArray();
        return chars.Length == 0 ? DefaultToolName : new string(chars);
    }
}

/// <summary>The tool whose input is the answer to a <c>json_schema</c> request.</summary>
internal sealed record AnswerTool(string Name, string Description, JsonElement? Schema);
