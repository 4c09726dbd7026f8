using System.Text.Json;
using LlmTr.Modules.Gateway.Chat;

namespace LlmTr.Modules.Gateway.Protocols.Gemini;

/// <summary>
/// OpenAI's sampling and output fields as Gemini's <c>generationConfig</c>: temperature, top_p → topP, max_tokens /
/// max_completion_tokens → maxOutputTokens, stop → stopSequences, n → candidateCount, seed, presence and frequency
/// penalties, response_format → responseMimeType (and responseSchema for json_schema), reasoning_effort →
/// thinkingConfig.thinkingBudget. Gemini fields sent as extras win over these. Log probabilities are not asked for:
/// the gateway does not translate Gemini's back.
/// </summary>
internal static class GeminiGenerationConfig
{
    public static int CandidateCount(ChatRequest request) => request.Number("n") is { } n ? (int)n : 1;

    public static void Write(Utf8JsonWriter writer, ChatRequest request, Dictionary<string, JsonElement> overrides)
    {
        var config = new ConfigWriter(writer, overrides);
        config.Copy("temperature", request.Property("temperature"));
        config.Copy("topP", request.Property("top_p"));
        config.Copy("maxOutputTokens", request.Property("max_completion_tokens") ?? request.Property("max_tokens"));
        if (request.StopSequences is { Count: > 0 } stops && config.Begin("stopSequences"))
        {
            writer.WriteStartArray();
            foreach (var stop in stops)
            {
                writer.WriteStringValue(stop);
            }

            writer.WriteEndArray();
        }

        config.Copy("candidateCount", CandidateCount(request) > 1 ? request.Property("n") : null);
        config.Copy("seed", request.Property("seed"));
        config.Copy("presencePenalty", request.Property("presence_penalty"));
        config.Copy("frequencyPenalty", request.Property("frequency_penalty"));
        ResponseFormat(config, request.Property("response_format"));
        Thinking(config, request.Property("reasoning_effort"));
        foreach (var (name, value) in overrides)
        {
            config.Begin(name, overridable: false);
            value.WriteTo(writer);
        }

        config.End();
    }

    /// <summary>json_object and json_schema both ask for JSON; json_schema also gives Gemini the schema.</summary>
    private static void ResponseFormat(ConfigWriter config, JsonElement? format)
    {
        var type = format?.GetProperty("type");
        if (type is not { } kind || kind.ValueEquals("text"u8))
        {
            return;
        }

        if (config.Begin("responseMimeType"))
        {
            config.Writer.WriteStringValue("application/json"u8);
        }

        if (kind.ValueEquals("json_schema"u8) && format!.Value.GetProperty("json_schema").TryGetProperty("schema", out var schema)
            && schema.ValueKind == JsonValueKind.Object && config.Begin("responseSchema"))
        {
            GeminiSchema.Write(config.Writer, schema);
        }
    }

    /// <summary>Google's own mapping for OpenAI clients: low, medium and high are 1K, 8K and 24K thinking tokens; none is no thinking.</summary>
    private static void Thinking(ConfigWriter config, JsonElement? effort)
    {
        var budget = effort?.GetString() switch
        {
            "none" or "minimal" => 0,
            "low" => 1024,
            "medium" => 8192,
            "high" or "xhigh" => 24576,
            _ => -1,
        };
        if (budget >= 0 && config.Begin("thinkingConfig"))
        {
            config.Writer.WriteStartObject();
            config.Writer.WriteNumber("thinkingBudget"u8, budget);
            config.Writer.WriteEndObject();
        }
    }

    /// <summary>Opens <c>generationConfig</c> at the first setting (none, no object), and skips what an extra overrides.</summary>
    private sealed class ConfigWriter(Utf8JsonWriter writer, Dictionary<string, JsonElement> overrides)
    {
        private bool _started;

        public Utf8JsonWriter Writer => writer;

        /// <summary>Writes the property name and returns true, unless an extra sets this field.</summary>
        public bool Begin(string name, bool overridable = true)
        {
            if (overridable && overrides.ContainsKey(name))
            {
                return false;
            }

            if (!_started)
            {
                writer.WriteStartObject("generationConfig"u8);
                _started = true;
            }

            writer.WritePropertyName(name);
            return true;
        }

        public void Copy(string name, JsonElement? value)
        {
            if (value is { } element && Begin(name))
            {
                element.WriteTo(writer);
            }
        }

        public void End()
        {
            if (_started)
            {
                writer.WriteEndObject();
            }
        }
    }
}
