using System.Buffers;
using System.Buffers.Binary;
using System.Text.Json;
using LlmTr.Modules.Billing.Contracts;
using LlmTr.Modules.Gateway.Media;
using LlmTr.Modules.Gateway.Protocols;

namespace LlmTr.Modules.Gateway.Embeddings;

/// <summary>
/// Embeddings through Gemini's <c>batchEmbedContents</c>: one request per input in one call (one input is simply a
/// batch of one), <c>dimensions</c> as <c>outputDimensionality</c>. Gemini reports no token count for embeddings, so the
/// usage is the inputs at about four characters a token (rounded up per input), unless the answer carries
/// <c>usageMetadata</c>.
/// </summary>
internal static class GeminiEmbeddings
{
    public static ReadOnlyMemory<byte> Request(EmbeddingsOperation operation, MediaCall call)
    {
        var name = call.Model.UpstreamName.Contains('/', StringComparison.Ordinal) ? call.Model.UpstreamName : "models/" + call.Model.UpstreamName;
        var buffer = new ArrayBufferWriter<byte>(operation.BodyLength + 256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("requests"u8);
            foreach (var input in operation.Inputs)
            {
                writer.WriteStartObject();
                writer.WriteString("model"u8, name);
                writer.WriteStartObject("content"u8);
                writer.WriteStartArray("parts"u8);
                writer.WriteStartObject();
                writer.WritePropertyName("text"u8);
                input.WriteTo(writer);
                writer.WriteEndObject();
                writer.WriteEndArray();
                writer.WriteEndObject();
                if (operation.Dimensions is { } dimensions)
                {
                    writer.WriteNumber("outputDimensionality"u8, dimensions);
                }

                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return buffer.WrittenMemory;
    }

    public static JsonAnswer Answer(EmbeddingsOperation operation, JsonDocument document)
    {
        var body = document.RootElement;
        var expected = operation.Inputs.Count();
        if (body.ValueKind != JsonValueKind.Object || !body.TryGetProperty("embeddings", out var embeddings) || embeddings.ValueKind != JsonValueKind.Array
            || embeddings.GetArrayLength() != expected
            || embeddings.EnumerateArray().Any(e => e.ValueKind != JsonValueKind.Object || !e.TryGetProperty("values", out var v) || v.ValueKind != JsonValueKind.Array))
        {
            throw new UpstreamProtocolException($"The provider's answer does not hold {expected} embeddings.");
        }

        var tokens = body.TryGetProperty("usageMetadata", out var metadata) && OpenAiUsage.Long(metadata, "promptTokenCount") is > 0 and var reported
            ? reported
            : operation.Inputs.Sum(input => (input.GetString()!.Length + 3) / 4);
        var base64 = operation.Base64;
        return new JsonAnswer(document, new UsageCounts(tokens, 0), (writer, call, charge) =>
        {
            writer.WriteString("object"u8, "list"u8);
            writer.WriteStartArray("data"u8);
            var index = 0;
            foreach (var embedding in embeddings.EnumerateArray())
            {
                writer.WriteStartObject();
                writer.WriteString("object"u8, "embedding"u8);
                writer.WriteNumber("index"u8, index++);
                var values = embedding.GetProperty("values");
                if (base64)
                {
                    writer.WriteBase64String("embedding"u8, Float32(values));
                }
                else
                {
                    writer.WritePropertyName("embedding"u8);
                    values.WriteTo(writer);
                }

                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteString("model"u8, call.Model.Id);
            EmbeddingsOperation.WriteUsage(writer, tokens, charge);
        });
    }

    /// <summary>The vector as OpenAI's base64 encoding carries it: little-endian IEEE float32, one after another.</summary>
    private static byte[] Float32(JsonElement values)
    {
        var bytes = new byte[values.GetArrayLength() * sizeof(float)];
        var offset = 0;
        foreach (var value in values.EnumerateArray())
        {
            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(offset), value.GetSingle());
            offset += sizeof(float);
        }

        return bytes;
    }
}
