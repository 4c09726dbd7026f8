using System.Text.Json;
using LlmTr.Modules.Gateway.Chat;

namespace LlmTr.Modules.Gateway.Protocols.Gemini;

/// <summary>
/// Body fields the gateway does not know, as far as Gemini can carry them. Gemini rejects fields it does not know, so
/// only its own pass: <c>safetySettings</c> and <c>cachedContent</c> at the top level, and generation settings
/// (<c>thinkingConfig</c>, <c>topK</c> or <c>top_k</c>, <c>responseModalities</c>, <c>mediaResolution</c>,
/// <c>speechConfig</c>, or a whole <c>generationConfig</c> object) merged into the generation config, where they win
/// over what the OpenAI fields would set. Every other extra is dropped.
/// </summary>
internal sealed class GeminiExtras
{
    private static readonly HashSet<string> TopLevelFields = new(StringComparer.Ordinal) { "safetySettings", "cachedContent" };

    private static readonly HashSet<string> GenerationFields = new(StringComparer.Ordinal)
    {
        "thinkingConfig", "topK", "responseModalities", "mediaResolution", "speechConfig",
    };

    public List<JsonProperty> TopLevel { get; } = [];

    /// <summary>Generation config fields by their Gemini name.</summary>
    public Dictionary<string, JsonElement> GenerationConfig { get; } = new(StringComparer.Ordinal);

    public static GeminiExtras From(ChatRequest request)
    {
        var extras = new GeminiExtras();
        foreach (var property in request.Extras)
        {
            if (TopLevelFields.Contains(property.Name))
            {
                extras.TopLevel.Add(property);
            }
            else if (GenerationFields.Contains(property.Name))
            {
                extras.GenerationConfig[property.Name] = property.Value;
            }
            else if (property.Name == "top_k")
            {
                extras.GenerationConfig["topK"] = property.Value;
            }
            else if (property.Name == "generationConfig" && property.Value.ValueKind == JsonValueKind.Object)
            {
                foreach (var setting in property.Value.EnumerateObject())
                {
                    extras.GenerationConfig[setting.Name] = setting.Value;
                }
            }
        }

        return extras;
    }
}
