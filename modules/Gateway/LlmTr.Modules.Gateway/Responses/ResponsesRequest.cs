using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using LlmTr.Modules.Gateway.Chat;
using LlmTr.SharedKernel;

namespace LlmTr.Modules.Gateway.Responses;

/// <summary>
/// Checks a Responses API request (OpenAI's <c>POST /v1/responses</c>) and writes the same request as a chat completion
/// body, which the chat pipeline then validates, scopes, bills and sends on. <c>instructions</c> becomes the first system
/// message; <c>input</c> items become messages: consecutive assistant text and <c>function_call</c> items one assistant
/// message with tool calls, <c>function_call_output</c> items tool messages. Function tools, tool choice, the text format,
/// the reasoning effort and the sampling options have direct counterparts. What coding agents such as Codex CLI send is
/// served: a namespace's function tools are offered under their own names, a <c>custom</c> (freeform) tool as a function
/// with one string parameter <c>input</c> (its <c>custom_tool_call</c> items carry that input), and a <c>web_search</c>
/// offer is left out for a translated model, since offering a search asks for none. Options only OpenAI's own service
/// uses (<c>include</c>, <c>prompt_cache_key</c>, <c>store</c>, <c>reasoning.summary</c>, <c>text.verbosity</c>,
/// <c>client_metadata</c>, <c>service_tier</c>) are accepted and not passed on to a translated model.
/// <para>
/// Two kinds of refusal, checked in two places. What no provider can be given because it needs state LLMTR does not
/// keep (<c>previous_response_id</c>, <c>conversation</c>, item references, uploaded file ids, stored prompts,
/// <c>background</c>) and what is malformed are refused here, before the model is even looked up. What only the
/// translation cannot express (the other built-in tools, tool choices naming them, other item and content types, file
/// URLs, <c>truncation: auto</c>) is left out of the chat body and reported as <c>untranslatable</c>: a provider that
/// speaks the Responses API itself gets the client's own body and serves it, and the pipeline refuses the request with
/// that error, naming the field, for every candidate it would translate for.
/// </para>
/// </summary>
internal static class ResponsesRequest
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static readonly JsonSerializerOptions FreeformJson = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static readonly JsonElement EmptyArray = JsonDocument.Parse("[]").RootElement;

    /// <summary>Writes the chat body for <paramref name="root"/>, or returns why the request cannot be served at all.</summary>
    /// <param name="untranslatable">
    /// The first part of the request the chat body leaves out because only a provider speaking the Responses API can
    /// take it, or null when the translation is whole.
    /// </param>
    public static GatewayError? Translate(JsonElement root, IBufferWriter<byte> output, out GatewayError? untranslatable)
    {
        untranslatable = null;
        if (root.ValueKind != JsonValueKind.Object)
        {
            return GatewayError.Of(ApiErrors.InvalidJson, "The request body must be a JSON object.");
        }

        var invalid = Check(root);
        if (invalid is not null)
        {
            return invalid;
        }

        var messages = new List<Turn>();
        if (root.TryGetProperty("instructions", out var instructions) && instructions.ValueKind == JsonValueKind.String)
        {
            messages.Add(new Turn("system") { Text = instructions.GetString() });
        }

        var input = root.GetProperty("input");
        if (input.ValueKind == JsonValueKind.String)
        {
            messages.Add(new Turn("user") { Text = input.GetString() });
        }
        else
        {
            var index = 0;
            foreach (var item in input.EnumerateArray())
            {
                if (AddItem(messages, item, $"input[{index++}]", ref untranslatable) is { } problem)
                {
                    return problem;
                }
            }
        }

        var tools = ToolsProblem(root, ref untranslatable);
        if (tools is not null)
        {
            return tools;
        }

        if (root.TryGetProperty("truncation", out var truncation) && IsString(truncation, "auto"u8))
        {
            untranslatable ??= GatewayError.Of(ApiErrors.UnsupportedFeature,
                "'truncation' may only be 'disabled' for this model: LLMTR passes the input whole, and a model whose context it overflows refuses it. "
                + "Only a provider speaking the Responses API truncates for you.", "truncation");
        }

        if (messages.Count == 0 && untranslatable is not null)
        {
            // Every item was one only a native relay carries: the chat body still needs a turn to be a valid request.
            messages.Add(new Turn("user") { Text = "" });
        }

        using var writer = new Utf8JsonWriter(output, WriterOptions);
        writer.WriteStartObject();
        writer.WriteString("model"u8, root.GetProperty("model").GetString());
        writer.WriteStartArray("messages"u8);
        foreach (var turn in messages)
        {
            turn.Write(writer);
        }

        writer.WriteEndArray();
        WriteTools(writer, root);
        WriteOptions(writer, root);
        writer.WriteEndObject();
        return null;
    }

    /// <summary>One input item into the conversation; the turns are written only once every item was read.</summary>
    private static GatewayError? AddItem(List<Turn> messages, JsonElement item, string at, ref GatewayError? untranslatable)
    {
        if (item.ValueKind != JsonValueKind.Object)
        {
            return GatewayError.Invalid($"'{at}' must be an input item object (a message, function_call or function_call_output).", at);
        }

        var type = item.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
        if (type is null && !item.TryGetProperty("role", out _))
        {
            return GatewayError.Invalid($"'{at}.type' is required: 'message', 'function_call' or 'function_call_output'.", $"{at}.type");
        }

        switch (type ?? "message")
        {
            case "message":
                return AddMessage(messages, item, at, ref untranslatable);
            case "function_call" or "custom_tool_call":
                var callId = RequiredString(item, "call_id", at, out var problem) ?? "";
                var name = problem is null ? RequiredString(item, "name", at, out problem) ?? "" : "";
                var arguments = problem is null ? RequiredString(item, type == "custom_tool_call" ? "input" : "arguments", at, out problem) ?? "" : "";
                if (problem is not null)
                {
                    return problem;
                }

                if (type == "custom_tool_call")
                {
                    // A freeform tool is offered as a function with one string parameter: its call is that function's.
                    arguments = JsonSerializer.Serialize(new Dictionary<string, string> { ["input"] = arguments }, FreeformJson);
                }

                // A call joins the assistant turn before it (its text, or the calls made in parallel with it).
                if (messages.Count == 0 || messages[^1] is not { Role: "assistant" } assistant)
                {
                    assistant = new Turn("assistant");
                    messages.Add(assistant);
                }

                (assistant.Calls ??= []).Add((callId, name, arguments));
                return null;
            case "function_call_output" or "custom_tool_call_output":
                var outputCallId = RequiredString(item, "call_id", at, out var missing) ?? "";
                if (missing is not null)
                {
                    return missing;
                }

                if (!item.TryGetProperty("output", out var output) || OutputText(output) is not { } text)
                {
                    return GatewayError.Invalid($"'{at}.output' is required: a string, or an array of input_text parts.", $"{at}.output");
                }

                messages.Add(new Turn("tool") { Text = text, CallId = outputCallId });
                return null;
            case "reasoning":
                // Reasoning a client hands back is the provider's own state; translated providers take none.
                return null;
            case "item_reference":
                return GatewayError.Of(ApiErrors.UnsupportedFeature,
                    $"'{at}' refers to a stored item, and LLMTR stores no responses. Send the item itself in 'input'.", $"{at}.type");
            default:
                // A built-in or custom tool's call or output, a compaction: the provider's own, a chat turn has no place for it.
                untranslatable ??= GatewayError.Of(ApiErrors.UnsupportedFeature,
                    $"'{type}' items are not supported at '{at}.type' for this model: its provider does not speak the Responses API, and chat "
                    + "completions have no such item. Send messages, function_call and function_call_output items.",
                    $"{at}.type");
                return null;
        }
    }

    private static GatewayError? AddMessage(List<Turn> messages, JsonElement item, string at, ref GatewayError? untranslatable)
    {
        if (!item.TryGetProperty("role", out var roleElement) || roleElement.ValueKind != JsonValueKind.String
            || roleElement.GetString() is not ("user" or "assistant" or "system" or "developer") || roleElement.GetString() is not { } role)
        {
            return GatewayError.Invalid($"'{at}.role' must be 'user', 'assistant', 'system' or 'developer'.", $"{at}.role");
        }

        if (!item.TryGetProperty("content", out var content) || content.ValueKind is not (JsonValueKind.String or JsonValueKind.Array))
        {
            return GatewayError.Invalid($"'{at}.content' is required: a string or an array of content parts.", $"{at}.content");
        }

        var turn = new Turn(role);
        if (content.ValueKind == JsonValueKind.String)
        {
            turn.Text = content.GetString();
            messages.Add(turn);
            return null;
        }

        var text = new StringBuilder();
        var parts = new List<JsonElement>();
        var index = 0;
        foreach (var part in content.EnumerateArray())
        {
            var partAt = $"{at}.content[{index++}]";
            if (part.ValueKind != JsonValueKind.Object || !part.TryGetProperty("type", out var partType) || partType.ValueKind != JsonValueKind.String)
            {
                return GatewayError.Invalid($"'{partAt}' must be a content part with a 'type'.", $"{partAt}.type");
            }

            switch (partType.GetString())
            {
                case "input_text" or "output_text":
                    var value = RequiredString(part, "text", partAt, out var missing);
                    if (missing is not null)
                    {
                        return missing;
                    }

                    text.Append(value);
                    parts.Add(ChatPart(w =>
                    {
                        w.WriteString("type"u8, "text"u8);
                        w.WriteString("text"u8, value);
                    }));
                    break;
                case "refusal":
                    // An earlier refusal the client hands back is the assistant's text of that turn.
                    text.Append(part.TryGetProperty("refusal", out var refusal) && refusal.ValueKind == JsonValueKind.String ? refusal.GetString() : "");
                    break;
                case "input_image":
                    if (Image(part, partAt, out var image) is { } imageProblem)
                    {
                        return imageProblem;
                    }

                    parts.Add(image);
                    break;
                case "input_file":
                    if (File(part, partAt, out var file) is { } fileProblem)
                    {
                        return fileProblem;
                    }

                    if (file.ValueKind == JsonValueKind.Undefined)
                    {
                        untranslatable ??= GatewayError.Of(ApiErrors.UnsupportedFeature,
                            $"'{partAt}.file_url' is not supported for this model: its provider does not speak the Responses API, and LLMTR fetches no files. "
                            + "Send the file's content in 'file_data'.", $"{partAt}.file_url");
                        break;
                    }

                    parts.Add(file);
                    break;
                default:
                    untranslatable ??= GatewayError.Of(ApiErrors.UnsupportedFeature,
                        $"'{partType.GetString()}' content is not supported at '{partAt}.type' for this model. Use input_text, input_image or input_file.", $"{partAt}.type");
                    break;
            }
        }

        // Assistant and system turns carry text; a user turn keeps its parts (images and files among them).
        if (role == "user")
        {
            turn.Parts = parts;
        }
        else
        {
            turn.Text = text.ToString();
        }

        messages.Add(turn);
        return null;
    }

    private static GatewayError? Image(JsonElement part, string at, out JsonElement chatPart)
    {
        chatPart = default;
        if (part.TryGetProperty("file_id", out var fileId) && fileId.ValueKind == JsonValueKind.String)
        {
            return GatewayError.Of(ApiErrors.UnsupportedFeature,
                $"'{at}.file_id' refers to an uploaded file, and LLMTR keeps no files. Send the image as 'image_url' (a URL or a data URL).", $"{at}.file_id");
        }

        if (!part.TryGetProperty("image_url", out var url) || url.ValueKind != JsonValueKind.String)
        {
            return GatewayError.Invalid($"'{at}.image_url' is required: the image's URL or a data URL.", $"{at}.image_url");
        }

        var detail = part.TryGetProperty("detail", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString() : null;
        chatPart = ChatPart(w =>
        {
            w.WriteString("type"u8, "image_url"u8);
            w.WriteStartObject("image_url"u8);
            w.WriteString("url"u8, url.GetString());
            if (detail is not null)
            {
                w.WriteString("detail"u8, detail);
            }

            w.WriteEndObject();
        });
        return null;
    }

    private static GatewayError? File(JsonElement part, string at, out JsonElement chatPart)
    {
        chatPart = default;
        if (!part.TryGetProperty("file_data", out var data) || data.ValueKind != JsonValueKind.String)
        {
            if (part.TryGetProperty("file_id", out _))
            {
                return GatewayError.Of(ApiErrors.UnsupportedFeature,
                    $"'{at}.file_id' refers to an uploaded file, and LLMTR keeps no files. Send the file's content in 'file_data'.", $"{at}.file_id");
            }

            // A file URL: a provider speaking the Responses API fetches it itself; the translation cannot (no chat part).
            return part.TryGetProperty("file_url", out var url) && url.ValueKind == JsonValueKind.String
                ? null
                : GatewayError.Invalid($"'{at}.file_data' is required: the file as a data URL.", $"{at}.file_data");
        }

        var name = part.TryGetProperty("filename", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString() : null;
        chatPart = ChatPart(w =>
        {
            w.WriteString("type"u8, "file"u8);
            w.WriteStartObject("file"u8);
            w.WriteString("file_data"u8, data.GetString());
            if (name is not null)
            {
                w.WriteString("filename"u8, name);
            }

            w.WriteEndObject();
        });
        return null;
    }

    private static JsonElement ChatPart(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            write(writer);
            writer.WriteEndObject();
        }

        using var document = JsonDocument.Parse(buffer.WrittenMemory);
        return document.RootElement.Clone();
    }

    /// <summary>A function call's output: a string, or the text of its input_text parts.</summary>
    private static string? OutputText(JsonElement output) => output.ValueKind switch
    {
        JsonValueKind.String => output.GetString(),
        JsonValueKind.Array => string.Concat(output.EnumerateArray()
            .Where(p => p.ValueKind == JsonValueKind.Object && p.TryGetProperty("text", out var t) && t.ValueKind == JsonValueKind.String)
            .Select(p => p.GetProperty("text").GetString())),
        _ => null,
    };

    private static string? RequiredString(JsonElement owner, string name, string at, out GatewayError? problem)
    {
        if (owner.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String)
        {
            problem = null;
            return value.GetString();
        }

        problem = GatewayError.Invalid($"'{at}.{name}' is required: a string.", $"{at}.{name}");
        return null;
    }

    /// <summary>
    /// The tools a translated model can be offered: function tools; the function tools of a <c>namespace</c> (offered
    /// under their own names); <c>custom</c> (freeform) tools, offered as a function with one string parameter
    /// <c>input</c>; and <c>web_search</c>, which is left out (LLMTR runs no search, and offering a search is not asking
    /// for one: the model answers without it). Other built-in tools run on the provider's side: they are
    /// <paramref name="untranslatable"/>, served only natively.
    /// </summary>
    private static GatewayError? ToolsProblem(JsonElement root, ref GatewayError? untranslatable)
    {
        var tools = root.TryGetProperty("tools", out var t) && t.ValueKind != JsonValueKind.Null ? t : default;
        if (tools.ValueKind is not (JsonValueKind.Array or JsonValueKind.Undefined))
        {
            return GatewayError.Invalid("'tools' must be an array of function tools.", "tools");
        }

        var index = 0;
        foreach (var tool in tools.ValueKind == JsonValueKind.Array ? tools.EnumerateArray() : EmptyArray.EnumerateArray())
        {
            if (ToolProblem(tool, $"tools[{index++}]", nested: false, ref untranslatable) is { } problem)
            {
                return problem;
            }
        }

        if (root.TryGetProperty("tool_choice", out var choice))
        {
            if (choice.ValueKind == JsonValueKind.String && choice.GetString() is not ("auto" or "none" or "required"))
            {
                return GatewayError.Invalid("'tool_choice' must be 'auto', 'none', 'required' or {\"type\": \"function\", \"name\": …}.", "tool_choice");
            }

            if (choice.ValueKind is not (JsonValueKind.String or JsonValueKind.Object or JsonValueKind.Null))
            {
                return GatewayError.Invalid("'tool_choice' must be a string or an object.", "tool_choice");
            }

            if (choice.ValueKind == JsonValueKind.Object)
            {
                if (!choice.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String)
                {
                    return GatewayError.Invalid("'tool_choice.type' is required: 'function' with a 'name', or the type of a built-in tool.", "tool_choice.type");
                }

                if (!IsString(type, "function"u8) && !IsString(type, "custom"u8))
                {
                    untranslatable ??= GatewayError.Of(ApiErrors.UnsupportedFeature,
                        "'tool_choice' may only name a function tool ({\"type\": \"function\", \"name\": …}) for this model: built-in tools and allowed-tool "
                        + "lists need a provider speaking the Responses API.", "tool_choice");
                }
                else if (RequiredString(choice, "name", "tool_choice", out var unnamed) is null)
                {
                    return unnamed;
                }
            }
        }

        return null;
    }

    private static GatewayError? ToolProblem(JsonElement tool, string at, bool nested, ref GatewayError? untranslatable)
    {
        if (tool.ValueKind != JsonValueKind.Object || !tool.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String)
        {
            return GatewayError.Invalid($"'{at}' must be a tool object with a 'type'.", $"{at}.type");
        }

        if (!nested && (IsString(type, "web_search"u8) || IsString(type, "web_search_preview"u8)))
        {
            return null;
        }

        if (!nested && IsString(type, "namespace"u8))
        {
            if (!tool.TryGetProperty("tools", out var members) || members.ValueKind != JsonValueKind.Array)
            {
                return GatewayError.Invalid($"'{at}.tools' is required: the namespace's function tools.", $"{at}.tools");
            }

            var index = 0;
            foreach (var member in members.EnumerateArray())
            {
                if (ToolProblem(member, $"{at}.tools[{index++}]", nested: true, ref untranslatable) is { } problem)
                {
                    return problem;
                }
            }

            return null;
        }

        if (!IsString(type, "function"u8) && !IsString(type, "custom"u8))
        {
            untranslatable ??= GatewayError.Of(ApiErrors.UnsupportedFeature,
                $"The '{type.GetString()}' tool at '{at}' is not supported for this model: only a provider speaking the Responses API runs built-in "
                + "tools, and this model's does not. Declare function tools and run them in your code, or choose such a model.", $"{at}.type");
            return null;
        }

        if (RequiredString(tool, "name", at, out var missing) is null)
        {
            return missing;
        }

        return IsString(type, "function"u8) && tool.TryGetProperty("parameters", out var parameters) && parameters.ValueKind is not (JsonValueKind.Object or JsonValueKind.Null)
            ? GatewayError.Invalid($"'{at}.parameters' must be a JSON schema object.", $"{at}.parameters")
            : null;
    }

    /// <summary>The chat function tools a request's tools become (see <see cref="ToolsProblem"/>), in order.</summary>
    private static IEnumerable<JsonElement> FunctionTools(JsonElement tools)
    {
        foreach (var tool in tools.EnumerateArray())
        {
            if (IsString(tool.GetProperty("type"), "namespace"u8))
            {
                foreach (var member in tool.GetProperty("tools").EnumerateArray())
                {
                    if (IsString(member.GetProperty("type"), "function"u8) || IsString(member.GetProperty("type"), "custom"u8))
                    {
                        yield return member;
                    }
                }
            }
            else if (IsString(tool.GetProperty("type"), "function"u8) || IsString(tool.GetProperty("type"), "custom"u8))
            {
                yield return tool;
            }
        }
    }

    /// <summary>The parameters of a custom (freeform) tool offered as a function: its whole input as one string.</summary>
    private static readonly JsonElement FreeformParameters = JsonDocument.Parse(
        """{"type":"object","properties":{"input":{"type":"string","description":"The tool's whole input, as free text."}},"required":["input"],"additionalProperties":false}""").RootElement;

    /// <summary>
    /// Function tools with their choice and parallelism. Without tools neither is sent: clients of the Responses API send
    /// <c>tool_choice</c> and <c>parallel_tool_calls</c> by default, and chat APIs refuse them when no tool is declared.
    /// </summary>
    private static void WriteTools(Utf8JsonWriter writer, JsonElement root)
    {
        if (!root.TryGetProperty("tools", out var tools) || tools.ValueKind != JsonValueKind.Array || !FunctionTools(tools).Any())
        {
            return;
        }

        writer.WriteStartArray("tools"u8);
        foreach (var tool in FunctionTools(tools))
        {
            writer.WriteStartObject();
            writer.WriteString("type"u8, "function"u8);
            writer.WriteStartObject("function"u8);
            writer.WriteString("name"u8, tool.GetProperty("name").GetString());
            if (IsString(tool.GetProperty("type"), "custom"u8))
            {
                if (tool.TryGetProperty("description", out var description) && description.ValueKind == JsonValueKind.String)
                {
                    writer.WriteString("description"u8, description.GetString());
                }

                writer.WritePropertyName("parameters"u8);
                FreeformParameters.WriteTo(writer);
            }
            else
            {
                foreach (var name in (ReadOnlySpan<string>)["description", "parameters", "strict"])
                {
                    if (tool.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null)
                    {
                        writer.WritePropertyName(name);
                        value.WriteTo(writer);
                    }
                }
            }

            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        writer.WriteEndArray();

        if (root.TryGetProperty("tool_choice", out var choice))
        {
            if (choice.ValueKind == JsonValueKind.String)
            {
                writer.WriteString("tool_choice"u8, choice.GetString());
            }
            else if (choice.ValueKind == JsonValueKind.Object && (IsString(choice.GetProperty("type"), "function"u8) || IsString(choice.GetProperty("type"), "custom"u8)))
            {
                writer.WriteStartObject("tool_choice"u8);
                writer.WriteString("type"u8, "function"u8);
                writer.WriteStartObject("function"u8);
                writer.WriteString("name"u8, choice.GetProperty("name").GetString());
                writer.WriteEndObject();
                writer.WriteEndObject();
            }
        }

        if (root.TryGetProperty("parallel_tool_calls", out var parallel) && parallel.ValueKind is JsonValueKind.True or JsonValueKind.False)
        {
            writer.WriteBoolean("parallel_tool_calls"u8, parallel.GetBoolean());
        }
    }

    private static void WriteOptions(Utf8JsonWriter writer, JsonElement root)
    {
        foreach (var name in (ReadOnlySpan<string>)["temperature", "top_p"])
        {
            if (root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number)
            {
                writer.WritePropertyName(name);
                value.WriteTo(writer);
            }
        }

        if (root.TryGetProperty("max_output_tokens", out var max) && max.ValueKind == JsonValueKind.Number)
        {
            writer.WritePropertyName("max_completion_tokens"u8);
            max.WriteTo(writer);
        }

        if (root.TryGetProperty("reasoning", out var reasoning) && reasoning.ValueKind == JsonValueKind.Object
            && reasoning.TryGetProperty("effort", out var effort) && effort.ValueKind == JsonValueKind.String)
        {
            writer.WriteString("reasoning_effort"u8, effort.GetString());
        }

        if (root.TryGetProperty("text", out var text) && text.ValueKind == JsonValueKind.Object
            && text.TryGetProperty("format", out var format) && format.ValueKind == JsonValueKind.Object)
        {
            WriteFormat(writer, format);
        }

        if (root.TryGetProperty("user", out var user) && user.ValueKind == JsonValueKind.String)
        {
            writer.WriteString("user"u8, user.GetString());
        }

        if (root.TryGetProperty("stream", out var stream) && stream.ValueKind == JsonValueKind.True)
        {
            // Usage is always wanted: the stream ends with it in response.completed.
            writer.WriteBoolean("stream"u8, true);
            writer.WriteStartObject("stream_options"u8);
            writer.WriteBoolean("include_usage"u8, true);
            writer.WriteEndObject();
        }

        if (root.TryGetProperty("llmtr", out var llmtr))
        {
            writer.WritePropertyName("llmtr"u8);
            llmtr.WriteTo(writer);
        }
    }

    /// <summary>Whether <paramref name="value"/> is the string <paramref name="expected"/> (any other kind of value is not, and does not throw).</summary>
    private static bool IsString(JsonElement value, ReadOnlySpan<byte> expected) => value.ValueKind == JsonValueKind.String && value.ValueEquals(expected);

    /// <summary><c>text.format</c> as chat's <c>response_format</c>: the schema's fields move under <c>json_schema</c>.</summary>
    private static void WriteFormat(Utf8JsonWriter writer, JsonElement format)
    {
        var type = format.TryGetProperty("type", out var t) ? t.GetString() : null;
        if (type == "json_object")
        {
            writer.WriteStartObject("response_format"u8);
            writer.WriteString("type"u8, "json_object"u8);
            writer.WriteEndObject();
        }
        else if (type == "json_schema")
        {
            writer.WriteStartObject("response_format"u8);
            writer.WriteString("type"u8, "json_schema"u8);
            writer.WriteStartObject("json_schema"u8);
            foreach (var name in (ReadOnlySpan<string>)["name", "description", "schema", "strict"])
            {
                if (format.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null)
                {
                    writer.WritePropertyName(name);
                    value.WriteTo(writer);
                }
            }

            writer.WriteEndObject();
            writer.WriteEndObject();
        }
    }

    /// <summary>The Responses API's own rules, with its field names in the answer (the chat validator then checks the rest).</summary>
    private static GatewayError? Check(JsonElement root)
    {
        if (!root.TryGetProperty("model", out var model) || model.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(model.GetString()))
        {
            return GatewayError.Invalid("'model' is required: a model id such as 'openai/gpt-4o'.", "model");
        }

        foreach (var stateful in (ReadOnlySpan<string>)["previous_response_id", "conversation"])
        {
            if (root.TryGetProperty(stateful, out var value) && value.ValueKind != JsonValueKind.Null)
            {
                return GatewayError.Of(ApiErrors.UnsupportedFeature,
                    $"'{stateful}' is not supported: LLMTR stores no responses or conversations. Send the whole conversation in 'input' "
                    + "(earlier output items included), as clients do with \"store\": false.", stateful);
            }
        }

        if (!root.TryGetProperty("input", out var input) || input.ValueKind is not (JsonValueKind.String or JsonValueKind.Array)
            || (input.ValueKind == JsonValueKind.Array && input.GetArrayLength() == 0))
        {
            return GatewayError.Invalid("'input' is required: a string, or a non-empty array of input items.", "input");
        }

        if (root.TryGetProperty("instructions", out var instructions) && instructions.ValueKind is not (JsonValueKind.String or JsonValueKind.Null))
        {
            return GatewayError.Invalid("'instructions' must be a string.", "instructions");
        }

        if (root.TryGetProperty("background", out var background) && background.ValueKind == JsonValueKind.True)
        {
            return GatewayError.Of(ApiErrors.UnsupportedFeature,
                "'background' is not supported: LLMTR keeps no responses to poll. Send the request in the foreground, streaming if it takes long.", "background");
        }

        if (root.TryGetProperty("prompt", out var prompt) && prompt.ValueKind != JsonValueKind.Null)
        {
            return GatewayError.Of(ApiErrors.UnsupportedFeature, "'prompt' (a stored prompt template) is not supported: send 'instructions' and 'input' instead.", "prompt");
        }

        if (root.TryGetProperty("truncation", out var truncation) && truncation.ValueKind != JsonValueKind.Null && !IsString(truncation, "disabled"u8) && !IsString(truncation, "auto"u8))
        {
            return GatewayError.Invalid("'truncation' must be 'auto' or 'disabled'.", "truncation");
        }

        foreach (var flag in (ReadOnlySpan<string>)["stream", "store", "parallel_tool_calls"])
        {
            if (root.TryGetProperty(flag, out var value) && value.ValueKind is not (JsonValueKind.True or JsonValueKind.False or JsonValueKind.Null))
            {
                return GatewayError.Invalid($"'{flag}' must be true or false.", flag);
            }
        }

        if (root.TryGetProperty("max_output_tokens", out var max) && max.ValueKind != JsonValueKind.Null
            && (max.ValueKind != JsonValueKind.Number || !max.TryGetInt32(out var tokens) || tokens < 1))
        {
            return GatewayError.Invalid("'max_output_tokens' must be a whole number of at least 1.", "max_output_tokens");
        }

        if (root.TryGetProperty("metadata", out var metadata) && metadata.ValueKind is not (JsonValueKind.Object or JsonValueKind.Null))
        {
            return GatewayError.Invalid("'metadata' must be an object of string values.", "metadata");
        }

        if (root.TryGetProperty("include", out var include) && include.ValueKind is not (JsonValueKind.Array or JsonValueKind.Null))
        {
            return GatewayError.Invalid("'include' must be an array of strings.", "include");
        }

        if (root.TryGetProperty("reasoning", out var reasoning) && reasoning.ValueKind != JsonValueKind.Null
            && (reasoning.ValueKind != JsonValueKind.Object
                || (reasoning.TryGetProperty("effort", out var effort) && effort.ValueKind is not (JsonValueKind.String or JsonValueKind.Null))))
        {
            return GatewayError.Invalid("'reasoning' must be an object such as {\"effort\": \"low\"}.", "reasoning.effort");
        }

        return FormatProblem(root) ?? Range(root, "temperature", 0, 2) ?? Range(root, "top_p", 0, 1);
    }

    private static GatewayError? FormatProblem(JsonElement root)
    {
        if (!root.TryGetProperty("text", out var text) || text.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (text.ValueKind != JsonValueKind.Object)
        {
            return GatewayError.Invalid("'text' must be an object such as {\"format\": {\"type\": \"text\"}}.", "text");
        }

        if (!text.TryGetProperty("format", out var format) || format.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        var type = format.ValueKind == JsonValueKind.Object && format.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
        if (type is not ("text" or "json_object" or "json_schema"))
        {
            return GatewayError.Invalid("'text.format.type' must be 'text', 'json_object' or 'json_schema'.", "text.format.type");
        }

        if (type == "json_schema")
        {
            if (RequiredString(format, "name", "text.format", out var problem) is null)
            {
                return problem;
            }

            if (!format.TryGetProperty("schema", out var schema) || schema.ValueKind != JsonValueKind.Object)
            {
                return GatewayError.Invalid("'text.format.schema' is required: a JSON schema object.", "text.format.schema");
            }
        }

        return null;
    }

    private static GatewayError? Range(JsonElement root, string name, double min, double max) =>
        !root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null
            ? null
            : value.ValueKind != JsonValueKind.Number || value.GetDouble() < min || value.GetDouble() > max
                ? GatewayError.Invalid($"'{name}' must be a number from {min} to {max}.", name)
                : null;

    /// <summary>One chat message being assembled from input items.</summary>
    private sealed class Turn(string role)
    {
        public string Role { get; } = role;

        public string? Text { get; set; }

        public List<JsonElement>? Parts { get; set; }

        public string? CallId { get; init; }

        public List<(string Id, string Name, string Arguments)>? Calls { get; set; }

        public void Write(Utf8JsonWriter writer)
        {
            writer.WriteStartObject();
            writer.WriteString("role"u8, Role);
            if (Parts is { } parts)
            {
                writer.WriteStartArray("content"u8);
                foreach (var part in parts)
                {
                    part.WriteTo(writer);
                }

                writer.WriteEndArray();
            }
            else if (Text is not null)
            {
                writer.WriteString("content"u8, Text);
            }
            else
            {
                writer.WriteNull("content"u8);
            }

            if (CallId is not null)
            {
                writer.WriteString("tool_call_id"u8, CallId);
            }

            if (Calls is { } calls)
            {
                writer.WriteStartArray("tool_calls"u8);
                foreach (var (id, name, arguments) in calls)
                {
                    writer.WriteStartObject();
                    writer.WriteString("id"u8, id);
                    writer.WriteString("type"u8, "function"u8);
                    writer.WriteStartObject("function"u8);
                    writer.WriteString("name"u8, name);
                    writer.WriteString("arguments"u8, arguments);
                    writer.WriteEndObject();
                    writer.WriteEndObject();
                }

                writer.WriteEndArray();
            }

            writer.WriteEndObject();
        }
    }
}
