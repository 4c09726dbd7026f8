using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using LlmTr.SharedKernel;

namespace LlmTr.Modules.Gateway.Chat;

/// <summary>
/// The documented rules of a chat completion request. Each failure names the offending field in <c>param</c>
/// (<c>messages[2].content</c>), as OpenAI does. The ranges here are the ones the documentation publishes.
/// </summary>
internal static partial class ChatRequestValidator
{
    public static readonly NumberRange Temperature = new("temperature", 0, 2);
    public static readonly NumberRange TopP = new("top_p", 0, 1);
    public static readonly NumberRange FrequencyPenalty = new("frequency_penalty", -2, 2);
    public static readonly NumberRange PresencePenalty = new("presence_penalty", -2, 2);
    public static readonly NumberRange Choices = new("n", 1, 128);
    public static readonly NumberRange TopLogprobs = new("top_logprobs", 0, 20);
    public const string MaxTokens = "max_tokens";
    public const string MaxCompletionTokens = "max_completion_tokens";
    public const int MinTokens = 1;
    public const int MaxStopSequences = 4;
    public const int MaxMetadataPairs = 16;

    /// <summary>Every range above, for the documentation: numbers, then whole numbers.</summary>
    public static readonly IReadOnlyList<NumberRange> NumberRanges = [Temperature, TopP, FrequencyPenalty, PresencePenalty];

    public static readonly IReadOnlyList<NumberRange> WholeNumberRanges = [Choices, TopLogprobs];

    /// <summary>Output token limits: whole numbers of at least <see cref="MinTokens"/>.</summary>
    public static readonly IReadOnlyList<string> TokenLimitFields = [MaxTokens, MaxCompletionTokens];

    public static readonly IReadOnlyList<string> Roles = ["system", "developer", "user", "assistant", "tool", "function"];

    public static readonly IReadOnlyList<string> ReasoningEfforts = ["none", "minimal", "low", "medium", "high", "xhigh"];

    /// <summary>Every field the gateway understands; anything else is a provider-specific extra.</summary>
    public static readonly IReadOnlySet<string> KnownFields = new HashSet<string>(StringComparer.Ordinal)
    {
        "model", "messages", "stream", "stream_options", "temperature", "top_p", "max_tokens", "max_completion_tokens", "n",
        "frequency_penalty", "presence_penalty", "stop", "response_format", "tools", "tool_choice", "parallel_tool_calls",
        "seed", "user", "logprobs", "top_logprobs", "reasoning_effort", "metadata", "store", "logit_bias", "service_tier",
        "modalities", "audio", "prediction", "web_search_options", "functions", "function_call", "llmtr",
    };

    public static GatewayError? Validate(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return GatewayError.Of(ApiErrors.InvalidJson, "The request body must be a JSON object.");
        }

        if (!root.TryGetProperty("model", out var model) || model.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(model.GetString()))
        {
            return Missing("model", "a string: a model id such as 'openai/gpt-4o'");
        }

        return Messages(root)
            ?? Flag(root, "stream")
            ?? StreamOptions(root)
            ?? Range(root, Temperature)
            ?? Range(root, TopP)
            ?? Range(root, FrequencyPenalty)
            ?? Range(root, PresencePenalty)
            ?? Integer(root, Choices)
            ?? PositiveInteger(root, MaxTokens)
            ?? PositiveInteger(root, MaxCompletionTokens)
            ?? Stop(root)
            ?? ResponseFormat(root)
            ?? Tools(root)
            ?? ToolChoice(root)
            ?? Flag(root, "parallel_tool_calls")
            ?? Flag(root, "logprobs")
            ?? Logprobs(root)
            ?? AnyInteger(root, "seed")
            ?? Text(root, "user")
            ?? ReasoningEffort(root)
            ?? Modalities(root)
            ?? Metadata(root)
            ?? LlmtrOptions(root);
    }

    private static GatewayError? Messages(JsonElement root)
    {
        if (!root.TryGetProperty("messages", out var messages) || messages.ValueKind != JsonValueKind.Array)
        {
            return Missing("messages", "an array of message objects");
        }

        if (messages.GetArrayLength() == 0)
        {
            return GatewayError.Invalid("'messages' must contain at least one message.", "messages");
        }

        var index = 0;
        foreach (var message in messages.EnumerateArray())
        {
            if (Message(message, $"messages[{index}]") is { } error)
            {
                return error;
            }

            index++;
        }

        return null;
    }

    private static GatewayError? Message(JsonElement message, string path)
    {
        if (message.ValueKind != JsonValueKind.Object)
        {
            return GatewayError.Invalid($"'{path}' must be an object with a 'role' and 'content'.", path);
        }

        if (!message.TryGetProperty("role", out var roleElement) || roleElement.ValueKind != JsonValueKind.String)
        {
            return Missing($"{path}.role", "one of 'system', 'developer', 'user', 'assistant' or 'tool'");
        }

        var role = roleElement.GetString()!;
        if (!Roles.Contains(role))
        {
            return GatewayError.Invalid($"'{role}' is not a valid role at '{path}.role'. Use 'system', 'developer', 'user', 'assistant' or 'tool'.", $"{path}.role");
        }

        var hasContent = message.TryGetProperty("content", out var content) && content.ValueKind != JsonValueKind.Null;
        var hasToolCalls = message.TryGetProperty("tool_calls", out var toolCalls) && toolCalls.ValueKind != JsonValueKind.Null;
        if (role == "assistant")
        {
            if (!hasContent && !hasToolCalls && !message.TryGetProperty("function_call", out _) && !message.TryGetProperty("audio", out _))
            {
                return GatewayError.Invalid($"'{path}' is an assistant message without 'content' or 'tool_calls'.", $"{path}.content");
            }

            if (hasToolCalls && AssistantToolCalls(toolCalls, $"{path}.tool_calls") is { } callsError)
            {
                return callsError;
            }
        }
        else if (!hasContent)
        {
            return Missing($"{path}.content", role == "user" ? "a string or an array of content parts" : "a string");
        }

        if (role == "tool" && (!message.TryGetProperty("tool_call_id", out var callId) || callId.ValueKind != JsonValueKind.String))
        {
            return Missing($"{path}.tool_call_id", "the id of the tool call this message answers");
        }

        return hasContent ? Content(content, $"{path}.content") : null;
    }

    private static GatewayError? AssistantToolCalls(JsonElement calls, string path)
    {
        if (calls.ValueKind != JsonValueKind.Array)
        {
            return GatewayError.Invalid($"'{path}' must be an array of tool calls.", path);
        }

        var index = 0;
        foreach (var call in calls.EnumerateArray())
        {
            var at = $"{path}[{index++}]";
            if (call.ValueKind != JsonValueKind.Object || !call.TryGetProperty("id", out var id) || id.ValueKind != JsonValueKind.String)
            {
                return Missing($"{at}.id", "the tool call's id");
            }

            if (!call.TryGetProperty("function", out var function) || function.ValueKind != JsonValueKind.Object
                || !function.TryGetProperty("name", out var name) || name.ValueKind != JsonValueKind.String)
            {
                return Missing($"{at}.function.name", "the called function's name");
            }
        }

        return null;
    }

    private static GatewayError? Content(JsonElement content, string path)
    {
        if (content.ValueKind == JsonValueKind.String)
        {
            return null;
        }

        if (content.ValueKind != JsonValueKind.Array)
        {
            return GatewayError.Invalid($"'{path}' must be a string or an array of content parts.", path);
        }

        var index = 0;
        foreach (var part in content.EnumerateArray())
        {
            var at = $"{path}[{index++}]";
            if (part.ValueKind != JsonValueKind.Object || !part.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String)
            {
                return Missing($"{at}.type", "'text', 'image_url', 'input_audio' or 'file'");
            }

            var problem = type.GetString() switch
            {
                "text" => RequireString(part, "text", at),
                "image_url" => part.TryGetProperty("image_url", out var image) && image.ValueKind == JsonValueKind.Object
                    ? RequireString(image, "url", $"{at}.image_url")
                    : Missing($"{at}.image_url", "an object with a 'url'"),
                "input_audio" => part.TryGetProperty("input_audio", out var audio) && audio.ValueKind == JsonValueKind.Object
                    ? RequireString(audio, "data", $"{at}.input_audio") ?? RequireString(audio, "format", $"{at}.input_audio")
                    : Missing($"{at}.input_audio", "an object with 'data' and 'format'"),
                "file" => part.TryGetProperty("file", out var file) && file.ValueKind == JsonValueKind.Object
                    ? null
                    : Missing($"{at}.file", "an object with 'file_data' or 'file_id'"),
                "refusal" => null,
                var other => GatewayError.Invalid($"'{other}' is not a content part type at '{at}.type'. Use 'text', 'image_url', 'input_audio' or 'file'.", $"{at}.type"),
            };
            if (problem is not null)
            {
                return problem;
            }
        }

        return null;
    }

    private static GatewayError? StreamOptions(JsonElement root)
    {
        if (!root.TryGetProperty("stream_options", out var options) || options.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (options.ValueKind != JsonValueKind.Object)
        {
            return GatewayError.Invalid("'stream_options' must be an object such as {\"include_usage\": true}.", "stream_options");
        }

        if (!root.TryGetProperty("stream", out var stream) || stream.ValueKind != JsonValueKind.True)
        {
            return GatewayError.Invalid("'stream_options' is only allowed when 'stream' is true.", "stream_options");
        }

        return Flag(options, "include_usage", "stream_options.include_usage");
    }

    private static GatewayError? Stop(JsonElement root)
    {
        if (!root.TryGetProperty("stop", out var stop) || stop.ValueKind is JsonValueKind.Null or JsonValueKind.String)
        {
            return null;
        }

        if (stop.ValueKind != JsonValueKind.Array || stop.EnumerateArray().Any(s => s.ValueKind != JsonValueKind.String))
        {
            return GatewayError.Invalid("'stop' must be a string or an array of strings.", "stop");
        }

        return stop.GetArrayLength() > MaxStopSequences
            ? GatewayError.Invalid($"'stop' may hold at most {MaxStopSequences} sequences; it has {stop.GetArrayLength()}.", "stop")
            : null;
    }

    private static GatewayError? ResponseFormat(JsonElement root)
    {
        if (!root.TryGetProperty("response_format", out var format) || format.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (format.ValueKind != JsonValueKind.Object || !format.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String)
        {
            return Missing("response_format.type", "'text', 'json_object' or 'json_schema'");
        }

        switch (type.GetString())
        {
            case "text" or "json_object":
                return null;
            case "json_schema":
                if (!format.TryGetProperty("json_schema", out var schema) || schema.ValueKind != JsonValueKind.Object)
                {
                    return Missing("response_format.json_schema", "an object with a 'name' and a 'schema'");
                }

                return RequireString(schema, "name", "response_format.json_schema")
                    ?? (schema.TryGetProperty("schema", out var body) && body.ValueKind != JsonValueKind.Object
                        ? GatewayError.Invalid("'response_format.json_schema.schema' must be a JSON Schema object.", "response_format.json_schema.schema")
                        : null);
            case var other:
                return GatewayError.Invalid($"'{other}' is not a response format. Use 'text', 'json_object' or 'json_schema'.", "response_format.type");
        }
    }

    private static GatewayError? Tools(JsonElement root)
    {
        if (!root.TryGetProperty("tools", out var tools) || tools.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (tools.ValueKind != JsonValueKind.Array)
        {
            return GatewayError.Invalid("'tools' must be an array of tool definitions.", "tools");
        }

        var index = 0;
        foreach (var tool in tools.EnumerateArray())
        {
            var at = $"tools[{index++}]";
            if (tool.ValueKind != JsonValueKind.Object || !tool.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String)
            {
                return Missing($"{at}.type", "'function' (or a provider's own tool type such as 'web_search')");
            }

            // Only function tools have a shape of OpenAI's; other types (MiMo's web_search) belong to the provider.
            if (type.GetString() != "function")
            {
                continue;
            }

            if (!tool.TryGetProperty("function", out var function) || function.ValueKind != JsonValueKind.Object)
            {
                return Missing($"{at}.function", "an object with the function's 'name' and 'parameters'");
            }

            if (!function.TryGetProperty("name", out var name) || name.ValueKind != JsonValueKind.String || !FunctionName().IsMatch(name.GetString()!))
            {
                return GatewayError.Invalid($"'{at}.function.name' must be 1 to 64 letters, digits, underscores or dashes.", $"{at}.function.name");
            }

            if (function.TryGetProperty("parameters", out var parameters) && parameters.ValueKind is not (JsonValueKind.Object or JsonValueKind.Null))
            {
                return GatewayError.Invalid($"'{at}.function.parameters' must be a JSON Schema object.", $"{at}.function.parameters");
            }
        }

        return null;
    }

    private static GatewayError? ToolChoice(JsonElement root)
    {
        if (!root.TryGetProperty("tool_choice", out var choice) || choice.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (choice.ValueKind == JsonValueKind.String)
        {
            return choice.GetString() is "none" or "auto" or "required"
                ? null
                : GatewayError.Invalid($"'{choice.GetString()}' is not a tool choice. Use 'none', 'auto', 'required' or {{\"type\":\"function\",\"function\":{{\"name\":\"…\"}}}}.", "tool_choice");
        }

        if (choice.ValueKind != JsonValueKind.Object || !choice.TryGetProperty("function", out var function) || function.ValueKind != JsonValueKind.Object
            || !function.TryGetProperty("name", out var name) || name.ValueKind != JsonValueKind.String)
        {
            return Missing("tool_choice.function.name", "the name of the function the model must call");
        }

        var hasTools = root.TryGetProperty("tools", out var tools) && tools.ValueKind == JsonValueKind.Array;
        var declared = hasTools && tools.EnumerateArray().Any(t =>
            t.TryGetProperty("function", out var f) && f.TryGetProperty("name", out var n) && n.ValueEquals(name.GetString()));
        return declared
            ? null
            : GatewayError.Invalid($"'tool_choice' names the function '{name.GetString()}', which is not in 'tools'.", "tool_choice");
    }

    private static GatewayError? Logprobs(JsonElement root)
    {
        if (Integer(root, TopLogprobs) is { } error)
        {
            return error;
        }

        var wantsTop = root.TryGetProperty("top_logprobs", out var top) && top.ValueKind == JsonValueKind.Number;
        var logprobs = root.TryGetProperty("logprobs", out var flag) && flag.ValueKind == JsonValueKind.True;
        return wantsTop && !logprobs ? GatewayError.Invalid("'top_logprobs' needs 'logprobs' set to true.", "top_logprobs") : null;
    }

    private static GatewayError? ReasoningEffort(JsonElement root)
    {
        if (!root.TryGetProperty("reasoning_effort", out var effort) || effort.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return effort.ValueKind == JsonValueKind.String && ReasoningEfforts.Contains(effort.GetString()!)
            ? null
            : GatewayError.Invalid($"'reasoning_effort' must be one of {string.Join(", ", ReasoningEfforts.Select(e => $"'{e}'"))}.", "reasoning_effort");
    }

    /// <summary>The output modalities asked for: a list of names such as "text" and "audio" (the model's catalog entry decides which it has).</summary>
    private static GatewayError? Modalities(JsonElement root) =>
        root.TryGetProperty("modalities", out var modalities) && modalities.ValueKind != JsonValueKind.Null
            && (modalities.ValueKind != JsonValueKind.Array || modalities.EnumerateArray().Any(m => m.ValueKind != JsonValueKind.String))
            ? GatewayError.Invalid("'modalities' must be an array of strings such as [\"text\", \"audio\"].", "modalities")
            : null;

    private static GatewayError? Metadata(JsonElement root)
    {
        if (!root.TryGetProperty("metadata", out var metadata) || metadata.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (metadata.ValueKind != JsonValueKind.Object || metadata.EnumerateObject().Any(p => p.Value.ValueKind != JsonValueKind.String))
        {
            return GatewayError.Invalid("'metadata' must be an object of string values.", "metadata");
        }

        return metadata.EnumerateObject().Count() > MaxMetadataPairs
            ? GatewayError.Invalid($"'metadata' may hold at most {MaxMetadataPairs} pairs.", "metadata")
            : null;
    }

    private static GatewayError? LlmtrOptions(JsonElement root) =>
        !root.TryGetProperty("llmtr", out var options) || options.ValueKind == JsonValueKind.Null ? null
        : options.ValueKind != JsonValueKind.Object ? GatewayError.Invalid("'llmtr' must be an object of LLMTR's own options.", "llmtr")
        : ResidencyRequirement.Problem(options);

    private static GatewayError? Range(JsonElement root, NumberRange range)
    {
        if (!root.TryGetProperty(range.Field, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.Number && value.GetDouble() is var number && number >= range.Min && number <= range.Max
            ? null
            : GatewayError.Invalid($"'{range.Field}' must be a number from {range.MinText} to {range.MaxText}{Got(value)}.", range.Field);
    }

    private static GatewayError? Integer(JsonElement root, NumberRange range)
    {
        if (!root.TryGetProperty(range.Field, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number) && number >= range.Min && number <= range.Max
            ? null
            : GatewayError.Invalid($"'{range.Field}' must be a whole number from {range.MinText} to {range.MaxText}{Got(value)}.", range.Field);
    }

    private static GatewayError? PositiveInteger(JsonElement root, string field)
    {
        if (!root.TryGetProperty(field, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number) && number >= MinTokens
            ? null
            : GatewayError.Invalid($"'{field}' must be a whole number of at least {MinTokens}{Got(value)}.", field);
    }

    private static GatewayError? AnyInteger(JsonElement root, string field) =>
        root.TryGetProperty(field, out var value) && value.ValueKind != JsonValueKind.Null && !(value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out _))
            ? GatewayError.Invalid($"'{field}' must be a whole number{Got(value)}.", field)
            : null;

    private static GatewayError? Flag(JsonElement element, string field, string? path = null) =>
        element.TryGetProperty(field, out var value) && value.ValueKind is not (JsonValueKind.True or JsonValueKind.False or JsonValueKind.Null)
            ? GatewayError.Invalid($"'{path ?? field}' must be true or false{Got(value)}.", path ?? field)
            : null;

    private static GatewayError? Text(JsonElement root, string field) =>
        root.TryGetProperty(field, out var value) && value.ValueKind is not (JsonValueKind.String or JsonValueKind.Null)
            ? GatewayError.Invalid($"'{field}' must be a string.", field)
            : null;

    private static GatewayError? RequireString(JsonElement owner, string field, string path) =>
        owner.TryGetProperty(field, out var value) && value.ValueKind == JsonValueKind.String
            ? null
            : Missing($"{path}.{field}", "a string");

    private static GatewayError Missing(string param, string expected) =>
        GatewayError.Invalid($"'{param}' is required and must be {expected}.", param);

    private static string Got(JsonElement value)
    {
        var raw = value.GetRawText();
        return raw.Length <= 40 ? $"; got {raw}" : "";
    }

    [GeneratedRegex("^[a-zA-Z0-9_-]{1,64}$")]
    private static partial Regex FunctionName();
}

/// <summary>A documented numeric range of a request field (also what the docs' parameter table shows).</summary>
internal sealed record NumberRange(string Field, double Min, double Max)
{
    public string MinText => Min.ToString(CultureInfo.InvariantCulture);

    public string MaxText => Max.ToString(CultureInfo.InvariantCulture);
}
