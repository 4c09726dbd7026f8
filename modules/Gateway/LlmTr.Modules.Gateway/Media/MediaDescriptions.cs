using System.ComponentModel;
using System.Text.Json;
using System.Text.Json.Serialization;
using LlmTr.SharedKernel;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace LlmTr.Modules.Gateway.Media;

/// <summary>
/// The non-chat /v1 endpoints as the OpenAPI document describes them. Their handlers read and write the bodies
/// themselves (to pass unknown fields through and relay audio), so the shapes are declared here as metadata.
/// </summary>
internal static class MediaDescriptions
{
    public static RouteHandlerBuilder DescribeErrors(this RouteHandlerBuilder endpoint)
    {
        foreach (var status in ApiErrors.All.Where(e => e != ApiErrors.UnknownModel && e != ApiErrors.UnknownUrl).Select(e => e.Status).Distinct())
        {
            endpoint.Produces<OpenAiErrorResponse>(status, "application/json");
        }

        return endpoint;
    }
}

internal sealed record EmbeddingsRequestBody(
    [property: JsonPropertyName("model"), Description("A catalog model with the 'embeddings' operation.")] string Model,
    [property: JsonPropertyName("input"), Description("A string, an array of strings, an array of token ids or an array of token-id arrays (at most 2048 items).")] JsonElement Input,
    [property: JsonPropertyName("encoding_format"), Description("'float' (default) or 'base64' (little-endian float32).")] string? EncodingFormat,
    [property: JsonPropertyName("dimensions")] int? Dimensions,
    [property: JsonPropertyName("user")] string? User);

internal sealed record EmbeddingsBody(
    [property: JsonPropertyName("object")] string Object,
    [property: JsonPropertyName("data")] IReadOnlyList<EmbeddingBody> Data,
    [property: JsonPropertyName("model"), Description("The canonical id of the model that answered.")] string Model,
    [property: JsonPropertyName("usage")] MediaUsageBody Usage);

internal sealed record EmbeddingBody(
    [property: JsonPropertyName("object")] string Object,
    [property: JsonPropertyName("index")] int Index,
    [property: JsonPropertyName("embedding"), Description("An array of floats, or a base64 string.")] JsonElement Embedding);

internal sealed record ImageGenerationRequestBody(
    [property: JsonPropertyName("model"), Description("A catalog model with the 'image_generation' operation.")] string Model,
    [property: JsonPropertyName("prompt")] string Prompt,
    [property: JsonPropertyName("n"), Description("1 to 10 (1 for Gemini image models).")] int? N,
    [property: JsonPropertyName("size")] string? Size,
    [property: JsonPropertyName("quality")] string? Quality,
    [property: JsonPropertyName("response_format"), Description("'url' or 'b64_json' (Gemini image models: 'b64_json').")] string? ResponseFormat,
    [property: JsonPropertyName("user")] string? User);

internal sealed record ImagesBody(
    [property: JsonPropertyName("created")] long Created,
    [property: JsonPropertyName("data")] IReadOnlyList<ImageBody> Data,
    [property: JsonPropertyName("usage")] MediaUsageBody Usage);

internal sealed record ImageBody(
    [property: JsonPropertyName("url")] string? Url,
    [property: JsonPropertyName("b64_json")] string? B64Json,
    [property: JsonPropertyName("revised_prompt")] string? RevisedPrompt);

internal sealed record SpeechRequestBody(
    [property: JsonPropertyName("model"), Description("A catalog model with the 'speech' operation.")] string Model,
    [property: JsonPropertyName("input"), Description("The text to speak, at most 4096 characters.")] string Input,
    [property: JsonPropertyName("voice")] string Voice,
    [property: JsonPropertyName("response_format"), Description("mp3 (default), opus, aac, flac, wav or pcm.")] string? ResponseFormat,
    [property: JsonPropertyName("speed"), Description("0.25 to 4.")] double? Speed,
    [property: JsonPropertyName("instructions")] string? Instructions);

internal sealed record TranscriptionBody(
    [property: JsonPropertyName("text")] string Text,
    [property: JsonPropertyName("usage")] MediaUsageBody Usage);

internal sealed record MediaUsageBody(
    [property: JsonPropertyName("prompt_tokens"), Description("Embeddings: the input's tokens.")] long? PromptTokens,
    [property: JsonPropertyName("images"), Description("Image generation: the images billed.")] int? Images,
    [property: JsonPropertyName("seconds"), Description("Transcription: the audio's length in seconds, when the provider reports no tokens.")] double? Seconds,
    [property: JsonPropertyName("cost"), Description("What the request cost, in the platform currency (also in the x-llmtr-cost header).")] decimal Cost,
    [property: JsonPropertyName("cost_currency")] string CostCurrency);
