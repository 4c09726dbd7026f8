using System.Text.Json;
using LlmTr.Modules.Billing.Contracts;
using LlmTr.Modules.Catalog.Contracts;
using LlmTr.Modules.Gateway.Chat;
using LlmTr.Modules.Gateway.Media;
using LlmTr.Modules.Gateway.Protocols;

namespace LlmTr.Modules.Gateway.Images;

/// <summary>
/// POST /v1/images/generations in OpenAI's format. OpenAI-compatible providers get the body as sent; Gemini image
/// models get a <c>generateContent</c> call asking for image output, and their inline images come back as
/// <c>b64_json</c>. Billed per image returned (the catalog's per-image price), plus any token prices the model has.
/// </summary>
internal sealed class ImageGenerationOperation : JsonOperation
{
    public const int MaxPromptLength = 32_000;

    private static readonly HashSet<ApiProtocol> Served = [ApiProtocol.OpenAi, ApiProtocol.Gemini];

    public override string Operation => Operations.ImageGeneration;

    public override string Describe => "image generation";

    public override IReadOnlySet<ApiProtocol> Protocols => Served;

    public string Prompt => String("prompt")!;

    protected override GatewayError? Validate() =>
        RequiredText("prompt", MaxPromptLength, "a description of the image")
        ?? Between("n", 1, 10, integer: true)
        ?? OneOf("response_format", "url", "b64_json")
        ?? (Property("size") is null or { ValueKind: JsonValueKind.String } ? null : GatewayError.Invalid("'size' must be a string such as '1024x1024'.", "size"));

    public override GatewayError? Check(CatalogModel model, ApiProtocol protocol) =>
        protocol == ApiProtocol.Gemini ? GeminiImages.Check(this, model) : null;

    /// <summary>Each of the <c>n</c> images asked for, the prompt at about four bytes a token, and the most output tokens the model gives per image.</summary>
    public override UsageCounts? Maximum(CatalogModel model, DateTimeOffset at)
    {
        var images = Property("n") is { } n ? n.GetInt32() : 1;
        return new UsageCounts(MaximumUsage.InputTokens(BodyLength), MaximumUsage.OutputLimit(model) * images, Images: images);
    }

    public override HttpRequestMessage CreateRequest(MediaCall call) => call.Provider.Protocol == ApiProtocol.Gemini
        ? call.Post(call.Gemini("generateContent"), Json(GeminiImages.Request(this)))
        : call.Post(call.OpenAi("images/generations"), PassThrough(call));

    public override async Task<MediaAnswer> ReadAnswerAsync(HttpResponseMessage response, MediaCall call, CancellationToken cancellationToken)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        var document = await JsonDocument.ParseAsync(stream, cancellationToken: cancellationToken);
        try
        {
            return call.Provider.Protocol == ApiProtocol.Gemini ? GeminiImages.Answer(document, call) : OpenAiAnswer(document);
        }
        catch
        {
            document.Dispose();
            throw;
        }
    }

    private static JsonAnswer OpenAiAnswer(JsonDocument document)
    {
        var body = document.RootElement;
        if (body.ValueKind != JsonValueKind.Object || !body.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Array)
        {
            throw new UpstreamProtocolException("The provider's answer has no 'data'.");
        }

        body.TryGetProperty("usage", out var usage);
        var counts = new UsageCounts(OpenAiUsage.Long(usage, "input_tokens"), OpenAiUsage.Long(usage, "output_tokens"), Images: data.GetArrayLength());
        return new JsonAnswer(document, counts, (writer, _, charge) =>
        {
            foreach (var property in body.EnumerateObject())
            {
                if (property.Name != "usage")
                {
                    property.WriteTo(writer);
                }
            }

            WriteUsage(writer, usage, counts, charge);
        });
    }

    /// <summary>
    /// The provider's usage as sent (token counts, when it reports them) with the images billed and the cost added; the
    /// token fields are written when the provider sent none, so the object always has OpenAI's shape.
    /// </summary>
    public static void WriteUsage(Utf8JsonWriter writer, JsonElement upstream, UsageCounts counts, UsageCharge charge)
    {
        writer.WriteStartObject("usage"u8);
        if (upstream.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in upstream.EnumerateObject())
            {
                if (property.Name is not ("cost" or "cost_currency" or "images"))
                {
                    property.WriteTo(writer);
                }
            }
        }
        else
        {
            writer.WriteNumber("input_tokens"u8, counts.PromptTokens);
            writer.WriteNumber("output_tokens"u8, counts.CompletionTokens);
            writer.WriteNumber("total_tokens"u8, counts.TotalTokens);
        }

        writer.WriteNumber("images"u8, counts.Images);
        OpenAiUsage.WriteCost(writer, charge);
        writer.WriteEndObject();
    }
}
