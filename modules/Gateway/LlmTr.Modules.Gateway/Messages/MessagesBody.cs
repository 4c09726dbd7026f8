using System.Buffers;
using System.Text.Json;
using LlmTr.Modules.Gateway.Chat;
using LlmTr.Modules.Gateway.Protocols;
using LlmTr.SharedKernel;

namespace LlmTr.Modules.Gateway.Messages;

/// <summary>
/// A Messages API body at the level LLMTR itself needs it, whatever provider serves it: the header check that admits it
/// (a JSON object with a model, a messages array, an output limit, a stream flag and valid LLMTR options), and the
/// client's own bytes for a provider that speaks the Messages API, with only the model's value replaced and LLMTR's
/// own field taken out. Everything else in the body is the provider's to judge.
/// </summary>
internal static class MessagesBody
{
    /// <summary>
    /// The request's header fields as an OpenAI body without messages (what admission, scope, residency and the credit
    /// hold read), or null with the error to answer.
    /// </summary>
    /// <param name="countingTokens">A token count: <c>max_tokens</c> is neither required nor meaningful.</param>
    public static ChatRequest? Envelope(ReadOnlyMemory<byte> body, bool countingTokens, out GatewayError? error)
    {
        var envelope = new ArrayBufferWriter<byte>(256);
        try
        {
            using var document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 64 });
            error = JsonText.Problem(body.Span) is { } problem
                ? GatewayError.Of(ApiErrors.InvalidJson, $"The request body is not valid JSON ({problem}). Send UTF-8 JSON with 'content-type: application/json'.")
                : Check(document.RootElement, countingTokens);
            if (error is null)
            {
                Write(document.RootElement, envelope, countingTokens);
            }
        }
        catch (JsonException e)
        {
            error = GatewayError.Of(ApiErrors.InvalidJson,
                $"The request body is not valid JSON ({e.Message.Split(" Path:")[0].TrimEnd('.')}). Send a JSON object with 'content-type: application/json'.");
        }

        return error is null ? ChatRequest.Envelope(envelope.WrittenMemory, body.Length) : null;
    }

    private static GatewayError? Check(JsonElement root, bool countingTokens)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return GatewayError.Of(ApiErrors.InvalidJson, "The request body must be a JSON object.");
        }

        if (!root.TryGetProperty("model", out var model) || model.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(model.GetString()))
        {
            return GatewayError.Invalid("'model' is required: a model id such as 'anthropic/claude-sonnet-4.5'.", "model");
        }

        if (!countingTokens && (!root.TryGetProperty("max_tokens", out var max) || max.ValueKind != JsonValueKind.Number || !max.TryGetInt32(out var tokens) || tokens < 1))
        {
            return GatewayError.Invalid("'max_tokens' is required: a whole number of at least 1.", "max_tokens");
        }

        if (!root.TryGetProperty("messages", out var messages) || messages.ValueKind != JsonValueKind.Array)
        {
            return GatewayError.Invalid("'messages' is required: an array of {\"role\", \"content\"} objects.", "messages");
        }

        if (root.TryGetProperty("stream", out var stream) && stream.ValueKind is not (JsonValueKind.True or JsonValueKind.False or JsonValueKind.Null))
        {
            return GatewayError.Invalid("'stream' must be true or false.", "stream");
        }

        return !root.TryGetProperty(ResidencyRequirement.Field, out var options) || options.ValueKind == JsonValueKind.Null ? null
            : options.ValueKind != JsonValueKind.Object ? GatewayError.Invalid("'llmtr' must be an object of LLMTR's own options.", "llmtr")
            : ResidencyRequirement.Problem(options);
    }

    private static void Write(JsonElement root, IBufferWriter<byte> output, bool countingTokens)
    {
        using var writer = new Utf8JsonWriter(output);
        writer.WriteStartObject();
        writer.WriteString("model"u8, root.GetProperty("model").GetString());
        writer.WriteStartArray("messages"u8);
        writer.WriteEndArray();
        if (!countingTokens)
        {
            writer.WriteNumber("max_tokens"u8, root.GetProperty("max_tokens").GetInt32());
        }

        writer.WriteBoolean("stream"u8, root.TryGetProperty("stream", out var stream) && stream.ValueKind == JsonValueKind.True);
        if (root.TryGetProperty(ResidencyRequirement.Field, out var options) && options.ValueKind == JsonValueKind.Object)
        {
            writer.WritePropertyName(ResidencyRequirement.Field);
            options.WriteTo(writer);
        }

        writer.WriteEndObject();
    }

    /// <summary>
    /// The client's body byte for byte, except the value of each top-level <c>model</c> (now <paramref name="upstreamModel"/>)
    /// and the top-level <c>llmtr</c> member, which is cut out with its separating comma. The body already passed
    /// <see cref="Envelope"/>, so it is one valid JSON object.
    /// </summary>
    public static ReadOnlyMemory<byte> Splice(ReadOnlyMemory<byte> body, string upstreamModel) =>
        JsonSplice.Object(body.Span, upstreamModel, default, OwnField);

    private static readonly byte[] OwnField = System.Text.Encoding.UTF8.GetBytes(ResidencyRequirement.Field);
}
