using System.Buffers;
using System.Text.Json;
using LlmTr.Modules.Billing.Contracts;
using LlmTr.Modules.Catalog.Contracts;
using LlmTr.Modules.Gateway.Chat;
using LlmTr.Modules.Gateway.Media;
using LlmTr.Modules.Gateway.Protocols;

namespace LlmTr.Modules.Gateway.Images;

/// <summary>
/// Image generation on a Gemini image model: the prompt as one user turn, <c>responseModalities</c> TEXT and IMAGE, and
/// OpenAI's <c>size</c> as Gemini's <c>imageConfig.aspectRatio</c>. Gemini answers with the image bytes inline and one
/// image per call, so <c>n</c> above 1, <c>response_format: url</c> and OpenAI-only options are refused before the call
/// rather than quietly ignored. The prompt's tokens are billed at the model's input price; the images per image.
/// </summary>
internal static class GeminiImages
{
    private static readonly Dictionary<string, string> AspectRatios = new(StringComparer.Ordinal)
    {
        ["1024x1024"] = "1:1",
        ["1536x1024"] = "3:2",
        ["1024x1536"] = "2:3",
        ["1792x1024"] = "16:9",
        ["1024x1792"] = "9:16",
    };

    private static readonly string[] OpenAiOnly = ["quality", "style", "background", "output_format", "output_compression", "moderation"];

    public static GatewayError? Check(ImageGenerationOperation operation, CatalogModel model)
    {
        if (operation.Property("n") is { } n && n.GetInt32() > 1)
        {
            return ModelCapabilities.Unsupported(model, "more than one image per request (its provider returns one); send n = 1 and repeat the request", "n");
        }

        if (operation.String("response_format") == "url")
        {
            return ModelCapabilities.Unsupported(model, "image URLs (its provider returns the image data only); use response_format 'b64_json'", "response_format");
        }

        if (operation.String("size") is { } size && size != "auto" && !AspectRatios.ContainsKey(size))
        {
            return GatewayError.Invalid($"'size' must be 'auto' or one of {string.Join(", ", AspectRatios.Keys.Select(k => $"'{k}'"))} for '{model.Id}'.", "size");
        }

        foreach (var option in OpenAiOnly)
        {
            if (operation.Property(option) is { } value && !(value.ValueKind == JsonValueKind.String && value.ValueEquals("auto")))
            {
                return ModelCapabilities.Unsupported(model, $"the '{option}' option (its provider has no such setting)", option);
            }
        }

        return null;
    }

    public static ReadOnlyMemory<byte> Request(ImageGenerationOperation operation)
    {
        var buffer = new ArrayBufferWriter<byte>(operation.BodyLength + 256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("contents"u8);
            writer.WriteStartObject();
            writer.WriteString("role"u8, "user"u8);
            writer.WriteStartArray("parts"u8);
            writer.WriteStartObject();
            writer.WriteString("text"u8, operation.Prompt);
            writer.WriteEndObject();
            writer.WriteEndArray();
            writer.WriteEndObject();
            writer.WriteEndArray();
            writer.WriteStartObject("generationConfig"u8);
            writer.WriteStartArray("responseModalities"u8);
            writer.WriteStringValue("TEXT"u8);
            writer.WriteStringValue("IMAGE"u8);
            writer.WriteEndArray();
            if (operation.String("size") is { } size && AspectRatios.TryGetValue(size, out var ratio))
            {
                writer.WriteStartObject("imageConfig"u8);
                writer.WriteString("aspectRatio"u8, ratio);
                writer.WriteEndObject();
            }

            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        return buffer.WrittenMemory;
    }

    public static JsonAnswer Answer(JsonDocument document, MediaCall call)
    {
        var body = document.RootElement;
        if (body.ValueKind != JsonValueKind.Object)
        {
            throw new UpstreamProtocolException("The provider's answer is not an object.");
        }

        var images = new List<JsonElement>();
        string? finish = null;
        if (body.TryGetProperty("candidates", out var candidates) && candidates.ValueKind == JsonValueKind.Array && candidates.GetArrayLength() > 0)
        {
            var candidate = candidates[0];
            finish = candidate.TryGetProperty("finishReason", out var reason) ? reason.GetString() : null;
            if (candidate.TryGetProperty("content", out var content) && content.TryGetProperty("parts", out var parts) && parts.ValueKind == JsonValueKind.Array)
            {
                images.AddRange(parts.EnumerateArray().Where(p => p.TryGetProperty("inlineData", out var data) && data.TryGetProperty("data", out _)).Select(p => p.GetProperty("inlineData")));
            }
        }

        if (images.Count == 0)
        {
            var blocked = body.TryGetProperty("promptFeedback", out var feedback) && feedback.TryGetProperty("blockReason", out var block) ? block.GetString() : null;
            throw new UpstreamRefusalException($"no image was generated ({(blocked is not null ? "prompt blocked: " + blocked : "finish reason: " + (finish ?? "none"))}).");
        }

        body.TryGetProperty("usageMetadata", out var metadata);
        var counts = new UsageCounts(OpenAiUsage.Long(metadata, "promptTokenCount"), 0, Images: images.Count);
        return new JsonAnswer(document, counts, (writer, _, charge) =>
        {
            writer.WriteNumber("created"u8, call.Created);
            writer.WriteStartArray("data"u8);
            foreach (var image in images)
            {
                writer.WriteStartObject();
                writer.WritePropertyName("b64_json"u8);
                image.GetProperty("data").WriteTo(writer);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            if (images[0].TryGetProperty("mimeType", out var mime) && mime.GetString() is { } type && type.StartsWith("image/", StringComparison.Ordinal))
            {
                writer.WriteString("output_format"u8, type["image/".Length..]);
            }

            ImageGenerationOperation.WriteUsage(writer, default, counts, charge);
        });
    }
}
