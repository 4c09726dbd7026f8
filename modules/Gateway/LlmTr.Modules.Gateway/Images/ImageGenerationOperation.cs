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

    /// <summary>
    /// The size and quality the images are asked at, as a price variant (<c>1024x1024/high</c>, or the size alone):
    /// null when the provider chooses (<c>auto</c>) or the request names no size.
    /// </summary>
    public string? Variant
    {
        get
        {
            var size = String("size");
            var quality = String("quality");
            var variant = PriceVariants.OfImage(size is null or "auto" ? null : size, quality is not null && PriceVariants.ImageQualities.Contains(quality) ? quality : null);
            return variant is not null && PriceVariants.IsImageVariant(variant) ? variant : null;
        }
    }

    /// <summary>
    /// Each of the <c>n</c> images asked for at its size and quality's price (the dearest when the provider chooses), the
    /// prompt at about four bytes a token, and the most output tokens the model gives per image.
    /// </summary>
    public override UsageCounts? Maximum(CatalogModel model, DateTimeOffset at)
    {
        var images = Property("n") is { } n ? n.GetInt32() : 1;
        return new UsageCounts(MaximumUsage.InputTokens(BodyLength), MaximumUsage.OutputLimit(model) * images, Images: images) { ImageVariant = Variant };
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
            return call.Provider.Protocol == ApiProtocol.Gemini ? GeminiImages.Answer(document, call) : OpenAiAnswer(document, Variant);
        }
        catch
        {
            document.Dispose();
            throw;
        }
    }

    /// <summary>
    /// OpenAI's image answer. GPT Image reports tokens: the prompt's text and image parts
    /// (<c>input_tokens_details</c>) and the generated images as output tokens, each priced at its unit when the model
    /// has one; the images themselves are counted at the size and quality asked for.
    /// </summary>
    private static JsonAnswer OpenAiAnswer(JsonDocument document, string? variant)
    {
        var body = document.RootElement;
        if (body.ValueKind != JsonValueKind.Object || !body.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Array)
        {
            throw new UpstreamProtocolException("The provider's answer has no 'data'.");
        }

        body.TryGetProperty("usage", out var usage);
        var output = OpenAiUsage.Long(usage, "output_tokens");
        var counts = new UsageCounts(OpenAiUsage.Long(usage, "input_tokens"), output, Images: data.GetArrayLength())
        {
            ImagePromptTokens = usage.ValueKind == JsonValueKind.Object && usage.TryGetProperty("input_tokens_details", out var details) ? OpenAiUsage.Long(details, "image_tokens") : 0,
            ImageCompletionTokens = output,
            ImageVariant = variant,
        };
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
