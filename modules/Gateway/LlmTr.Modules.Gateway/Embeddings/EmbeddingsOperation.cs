using System.Text.Json;
using LlmTr.Modules.Billing.Contracts;
using LlmTr.Modules.Catalog.Contracts;
using LlmTr.Modules.Gateway.Chat;
using LlmTr.Modules.Gateway.Media;
using LlmTr.Modules.Gateway.Protocols;

namespace LlmTr.Modules.Gateway.Embeddings;

/// <summary>
/// POST /v1/embeddings in OpenAI's format. OpenAI-compatible providers get the body as sent (with the upstream model
/// name); Gemini gets one <c>batchEmbedContents</c> call for all inputs, and its vectors come back as OpenAI's list,
/// as floats or as base64 of little-endian float32 (<c>encoding_format</c>), as OpenAI sends them.
/// </summary>
internal sealed class EmbeddingsOperation : JsonOperation
{
    /// <summary>OpenAI's own limit on the inputs of one request.</summary>
    public const int MaxInputs = 2048;

    private static readonly HashSet<ApiProtocol> Served = [ApiProtocol.OpenAi, ApiProtocol.Gemini];

    public override string Operation => Operations.Embeddings;

    public override string Describe => "embeddings";

    public override IReadOnlySet<ApiProtocol> Protocols => Served;

    /// <summary>The inputs are token arrays rather than text.</summary>
    public bool TokenInput { get; private set; }

    public bool Base64 => String("encoding_format") == "base64";

    public int? Dimensions => Property("dimensions") is { } value ? value.GetInt32() : null;

    /// <summary>The text inputs, in order (one for a single string).</summary>
    public IEnumerable<JsonElement> Inputs => Property("input") is { ValueKind: JsonValueKind.Array } many ? many.EnumerateArray() : [Property("input")!.Value];

    protected override GatewayError? Validate() => Input() ?? OneOf("encoding_format", "float", "base64") ?? Between("dimensions", 1, 65_536, integer: true);

    private GatewayError? Input()
    {
        const string Expected = "a string, an array of strings, an array of token ids or an array of token-id arrays";
        switch (Property("input"))
        {
            case { ValueKind: JsonValueKind.String } one:
                return one.GetString()!.Length > 0 ? null : GatewayError.Invalid("'input' must not be empty.", "input");
            case { ValueKind: JsonValueKind.Array } many:
                var count = many.GetArrayLength();
                if (count == 0 || count > MaxInputs)
                {
                    return GatewayError.Invalid($"'input' must hold from 1 to {MaxInputs} items; got {count}.", "input");
                }

                var first = many[0].ValueKind;
                var index = 0;
                foreach (var item in many.EnumerateArray())
                {
                    var fits = first switch
                    {
                        JsonValueKind.String => item.ValueKind == JsonValueKind.String && item.GetString()!.Length > 0,
                        JsonValueKind.Number => item.ValueKind == JsonValueKind.Number && item.TryGetInt32(out _),
                        JsonValueKind.Array => item.ValueKind == JsonValueKind.Array && item.GetArrayLength() > 0
                            && item.EnumerateArray().All(t => t.ValueKind == JsonValueKind.Number && t.TryGetInt32(out _)),
                        _ => false,
                    };
                    if (!fits)
                    {
                        return GatewayError.Invalid($"'input[{index}]' is not valid here: 'input' must be {Expected}, all of one kind, none empty.", $"input[{index}]");
                    }

                    index++;
                }

                TokenInput = first != JsonValueKind.String;
                return null;
            default:
                return GatewayError.Invalid($"'input' is required and must be {Expected}.", "input");
        }
    }

    public override GatewayError? Check(CatalogModel model, ApiProtocol protocol) =>
        protocol == ApiProtocol.Gemini && TokenInput
            ? ModelCapabilities.Unsupported(model, "token-id input for embeddings (its provider embeds text only); send the text", "input")
            : null;

    /// <summary>The inputs at about four bytes a token of the body (token-id arrays take more bytes than tokens).</summary>
    public override UsageCounts? Maximum(CatalogModel model, DateTimeOffset at) => new(MaximumUsage.InputTokens(BodyLength), 0);

    public override HttpRequestMessage CreateRequest(MediaCall call) => call.Provider.Protocol == ApiProtocol.Gemini
        ? call.Post(call.Gemini("batchEmbedContents"), Json(GeminiEmbeddings.Request(this, call)))
        : call.Post(call.OpenAi("embeddings"), PassThrough(call));

    public override async Task<MediaAnswer> ReadAnswerAsync(HttpResponseMessage response, MediaCall call, CancellationToken cancellationToken)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        var document = await JsonDocument.ParseAsync(stream, cancellationToken: cancellationToken);
        try
        {
            return call.Provider.Protocol == ApiProtocol.Gemini ? GeminiEmbeddings.Answer(this, document) : OpenAiAnswer(document);
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

        var prompt = body.TryGetProperty("usage", out var usage) ? OpenAiUsage.Long(usage, "prompt_tokens") : 0;
        return new JsonAnswer(document, new UsageCounts(prompt, 0), (writer, call, charge) =>
        {
            foreach (var property in body.EnumerateObject())
            {
                if (property.Name is not ("model" or "usage"))
                {
                    property.WriteTo(writer);
                }
            }

            writer.WriteString("model"u8, call.Model.Id);
            WriteUsage(writer, prompt, charge);
        });
    }

    /// <summary>OpenAI's embeddings usage (<c>prompt_tokens</c>, <c>total_tokens</c>) with the cost added.</summary>
    public static void WriteUsage(Utf8JsonWriter writer, long promptTokens, UsageCharge charge)
    {
        writer.WriteStartObject("usage"u8);
        writer.WriteNumber("prompt_tokens"u8, promptTokens);
        writer.WriteNumber("total_tokens"u8, promptTokens);
        OpenAiUsage.WriteCost(writer, charge);
        writer.WriteEndObject();
    }
}
