using System.Buffers;
using System.Text.Json;
using LlmTr.Modules.Billing.Contracts;

namespace LlmTr.Modules.Gateway.Protocols.OpenAi;

/// <summary>
/// An OpenAI-compatible provider's answer relayed to a client that speaks OpenAI's chat completions, the gateway's most
/// common path, without parsing it into a document: a <see cref="Utf8JsonReader"/> walks the provider's bytes and a
/// <see cref="Utf8JsonWriter"/> writes the client's, the gateway's id, object, created and model in place of the
/// provider's, the usage read for billing (and, on a whole answer, written back with the cost), and every other member
/// copied as the provider sent it (its JSON text, byte for byte).
/// </summary>
internal static class OpenAiRelay
{
    /// <summary>
    /// Reads a whole answer body into a pooled buffer and checks it: one JSON object with a <c>choices</c> array. Throws
    /// <see cref="JsonException"/> for a body that is not JSON and <see cref="UpstreamProtocolException"/> for one
    /// without choices, before anything reaches the client. The answer holds the buffer until it is disposed.
    /// </summary>
    /// <param name="length">The body's declared length, when the provider sent one: the buffer's size.</param>
    public static async Task<RelayedAnswer> ReadAsync(Stream body, long? length, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(length is > 0 and < 64 * 1024 * 1024 ? (int)length + 1 : 16 * 1024);
        try
        {
            var count = 0;
            while (true)
            {
                if (count == buffer.Length)
                {
                    var larger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                    buffer.AsSpan(0, count).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }

                var read = await body.ReadAsync(buffer.AsMemory(count), cancellationToken);
                if (read == 0)
                {
                    break;
                }

                count += read;
            }

            var answer = new RelayedAnswer(buffer, count, ReadAnswer(buffer.AsSpan(0, count)));
            buffer = null;
            return answer;
        }
        finally
        {
            if (buffer is not null)
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

    /// <summary>
    /// Checks a whole answer (one JSON object with a <c>choices</c> array, nothing after it) and reads its usage: the
    /// first of the two passes, which must succeed before the client hears anything.
    /// </summary>
    public static UsageCounts ReadAnswer(ReadOnlySpan<byte> body)
    {
        var reader = new Utf8JsonReader(body);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            // Not an object, or not JSON at all: either way the answer cannot be relayed.
            throw new UpstreamProtocolException("The provider's answer has no 'choices'.");
        }

        var usage = UsageCounts.None;
        var choices = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isChoices = reader.ValueTextEquals("choices"u8);
            var isUsage = !isChoices && reader.ValueTextEquals("usage"u8);
            reader.Read();
            var start = (int)reader.TokenStartIndex;
            var kind = reader.TokenType;
            reader.Skip();
            if (isChoices)
            {
                choices = kind == JsonTokenType.StartArray;
            }
            else if (isUsage)
            {
                usage = kind == JsonTokenType.StartObject ? OpenAiUsage.Read(body[start..(int)reader.BytesConsumed]) : UsageCounts.None;
            }
        }

        // Anything but space after the object is not JSON.
        while (reader.Read())
        {
        }

        return choices ? usage : throw new UpstreamProtocolException("The provider's answer has no 'choices'.");
    }

    /// <summary>The second pass: the answer as the client gets it, into <paramref name="output"/>.</summary>
    public static void WriteAnswer(ReadOnlySpan<byte> body, UsageCounts usage, ResponseStamp stamp, IBufferWriter<byte> output)
    {
        using var writer = new Utf8JsonWriter(output);
        WriteAnswer(body, usage, stamp, writer);
    }

    /// <summary>
    /// The second pass, over a body <see cref="ReadAnswer"/> accepted: the gateway's id, object, created and model, the
    /// provider's members in its order (their JSON text as sent), and at the end the provider's usage object (fields
    /// LLMTR does not know kept) with the cost added, or LLMTR's own usage object when the provider sent none.
    /// </summary>
    public static void WriteAnswer(ReadOnlySpan<byte> body, UsageCounts usage, ResponseStamp stamp, Utf8JsonWriter writer)
    {
        stamp.BeginCompletion(writer);
        var reader = new Utf8JsonReader(body);
        reader.Read();
        Range upstreamUsage = default;
        var hasUsage = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (IsStamped(ref reader))
            {
                reader.Read();
                reader.Skip();
            }
            else if (reader.ValueTextEquals("usage"u8))
            {
                reader.Read();
                var start = (int)reader.TokenStartIndex;
                hasUsage = reader.TokenType == JsonTokenType.StartObject;
                reader.Skip();
                upstreamUsage = start..(int)reader.BytesConsumed;
            }
            else
            {
                JsonCopy.Member(ref reader, body, writer);
            }
        }

        if (hasUsage)
        {
            WriteUsage(body[upstreamUsage], stamp.Charge, writer);
        }
        else
        {
            OpenAiUsage.Write(writer, usage, stamp.Charge);
        }

        writer.WriteEndObject();
        writer.Flush();
    }

    /// <summary>
    /// One streamed chunk, rewritten through the sink in one pass: the gateway's id, object, created and model (written
    /// by <see cref="ChunkSink.Begin"/>) in place of the provider's, the usage taken out and returned for billing, the
    /// rest copied as sent. A chunk without choices (the provider's usage chunk) is not relayed: the gateway sends its
    /// own, with the cost, when the client asked for it. Throws <see cref="UpstreamStreamException"/> for an
    /// <c>error</c> chunk, a chunk that is not an object, and one that is not JSON.
    /// </summary>
    /// <param name="usage">The chunk's usage object, when it has one.</param>
    /// <returns>Characters of generated text and tool-call arguments in the chunk's deltas, for an estimate should no usage come.</returns>
    public static long RelayChunk(ReadOnlyMemory<byte> chunk, ChunkSink sink, out UsageCounts? usage)
    {
        usage = null;
        var data = chunk.Span;
        try
        {
            var reader = new Utf8JsonReader(data);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                JsonDocument.Parse(chunk).Dispose(); // not JSON: said so, below
                throw new UpstreamStreamException("The provider sent a stream event that is not a chunk object.");
            }

            Utf8JsonWriter? writer = null;
            var relayed = false;
            long characters = 0;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("error"u8))
                {
                    using var document = JsonDocument.Parse(chunk);
                    throw new UpstreamStreamException(ChatProtocol.OpenAiErrorMessage(document.RootElement) ?? "The provider reported an error during the stream.");
                }

                if (IsStamped(ref reader))
                {
                    reader.Read();
                    reader.Skip();
                    continue;
                }

                if (reader.ValueTextEquals("usage"u8))
                {
                    reader.Read();
                    var start = (int)reader.TokenStartIndex;
                    var isObject = reader.TokenType == JsonTokenType.StartObject;
                    reader.Skip();
                    usage = isObject ? OpenAiUsage.Read(data[start..(int)reader.BytesConsumed]) : usage;
                    continue;
                }

                writer ??= sink.Begin();
                if (reader.ValueTextEquals("choices"u8))
                {
                    writer.WritePropertyName("choices"u8);
                    reader.Read();
                    var start = (int)reader.TokenStartIndex;
                    if (reader.TokenType == JsonTokenType.StartArray)
                    {
                        characters += CountChoices(ref reader, out relayed);
                    }
                    else
                    {
                        reader.Skip();
                        relayed = false;
                    }

                    writer.WriteRawValue(data[start..(int)reader.BytesConsumed], skipInputValidation: true);
                    continue;
                }

                JsonCopy.Member(ref reader, data, writer);
            }

            while (reader.Read())
            {
                // Anything but space after the object throws: the event is not JSON.
            }

            if (!relayed)
            {
                // Begun and left: the next Begin starts the sink's chunk afresh.
                return 0;
            }

            sink.End();
            return characters;
        }
        catch (JsonException)
        {
            throw new UpstreamStreamException("The provider sent a stream event that is not JSON.");
        }
    }

    /// <summary>A member the gateway writes itself on every answer and chunk; compared as UTF-8, escapes and all.</summary>
    private static bool IsStamped(ref Utf8JsonReader reader) =>
        reader.ValueTextEquals("id"u8) || reader.ValueTextEquals("object"u8) || reader.ValueTextEquals("created"u8) || reader.ValueTextEquals("model"u8);

    /// <summary>The provider's usage object with its fields as sent (cost fields of its own left out) and LLMTR's cost added.</summary>
    private static void WriteUsage(ReadOnlySpan<byte> usage, UsageCharge charge, Utf8JsonWriter writer)
    {
        writer.WriteStartObject("usage"u8);
        var reader = new Utf8JsonReader(usage);
        reader.Read();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("cost"u8) || reader.ValueTextEquals("cost_currency"u8))
            {
                reader.Read();
                reader.Skip();
            }
            else
            {
                JsonCopy.Member(ref reader, usage, writer);
            }
        }

        OpenAiUsage.WriteCost(writer, charge);
        writer.WriteEndObject();
    }

    /// <summary>Walks a <c>choices</c> array (the reader ends on its closing bracket), counting what its deltas generated.</summary>
    private static long CountChoices(ref Utf8JsonReader reader, out bool any)
    {
        any = false;
        long characters = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            any = true;
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                reader.Skip();
                continue;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isDelta = reader.ValueTextEquals("delta"u8);
                reader.Read();
                if (isDelta && reader.TokenType == JsonTokenType.StartObject)
                {
                    characters += CountDelta(ref reader);
                }
                else
                {
                    reader.Skip();
                }
            }
        }

        return characters;
    }

    /// <summary>A delta's text and tool-call arguments, in UTF-16 characters (as the estimate has always counted them).</summary>
    private static long CountDelta(ref Utf8JsonReader reader)
    {
        long characters = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isContent = reader.ValueTextEquals("content"u8);
            var isCalls = !isContent && reader.ValueTextEquals("tool_calls"u8);
            reader.Read();
            if (isContent && reader.TokenType == JsonTokenType.String)
            {
                characters += JsonCopy.Characters(ref reader);
            }
            else if (isCalls && reader.TokenType == JsonTokenType.StartArray)
            {
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    characters += reader.TokenType == JsonTokenType.StartObject ? Member(ref reader, "function"u8, "arguments"u8) : Skipped(ref reader);
                }
            }
            else
            {
                reader.Skip();
            }
        }

        return characters;
    }

    /// <summary>In the object the reader stands on, the characters of the string at <c>outer.inner</c>; the reader ends on the object's end.</summary>
    private static long Member(ref Utf8JsonReader reader, ReadOnlySpan<byte> outer, ReadOnlySpan<byte> inner)
    {
        long characters = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var matches = reader.ValueTextEquals(outer);
            reader.Read();
            if (matches && reader.TokenType == JsonTokenType.StartObject)
            {
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var isInner = reader.ValueTextEquals(inner);
                    reader.Read();
                    if (isInner && reader.TokenType == JsonTokenType.String)
                    {
                        characters += JsonCopy.Characters(ref reader);
                    }
                    else
                    {
                        reader.Skip();
                    }
                }
            }
            else
            {
                reader.Skip();
            }
        }

        return characters;
    }

    private static long Skipped(ref Utf8JsonReader reader)
    {
        reader.Skip();
        return 0;
    }

}

/// <summary>
/// An OpenAI-compatible provider's whole answer in a pooled buffer, checked and its usage read, written to the client by
/// <see cref="OpenAiRelay.WriteAnswer(ReadOnlySpan{byte}, UsageCounts, ResponseStamp, Utf8JsonWriter)"/>. Dispose it
/// once written: the buffer goes back to the pool.
/// </summary>
internal sealed class RelayedAnswer(byte[] buffer, int length, UsageCounts usage) : ChatCompletion, IDisposable
{
    private byte[]? _buffer = buffer;

    public override UsageCounts Usage => usage;

    /// <summary>The provider's bytes as received.</summary>
    public ReadOnlySpan<byte> Body => (_buffer ?? throw new ObjectDisposedException(nameof(RelayedAnswer))).AsSpan(0, length);

    public override void WriteTo(Utf8JsonWriter writer, ResponseStamp stamp) => OpenAiRelay.WriteAnswer(Body, usage, stamp, writer);

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _buffer, null) is { } returned)
        {
            ArrayPool<byte>.Shared.Return(returned);
        }
    }
}
