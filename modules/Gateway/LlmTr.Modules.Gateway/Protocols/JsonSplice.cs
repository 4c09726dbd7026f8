using System.Buffers;
using System.Text.Json;

namespace LlmTr.Modules.Gateway.Protocols;

/// <summary>
/// A client's JSON body relayed to a provider that speaks the client's own API, without parsing it into a document and
/// writing it again: the bytes are copied as sent, except the value of the top-level <c>model</c> (LLMTR's id becomes
/// the provider's name), the top-level members LLMTR must take out (its own <c>llmtr</c> options, say), each cut with
/// its separating comma, and members LLMTR adds before the closing brace. Nested members of the same names are left
/// alone. The body must already be one valid JSON object (the gateway has checked it before any provider is called).
/// </summary>
internal static class JsonSplice
{
    /// <param name="json">One JSON object.</param>
    /// <param name="model">The provider's name for the model, written as a JSON string in place of each top-level <c>model</c>'s value.</param>
    /// <param name="appended">Members to add at the end, as JSON text (<c>"name":value</c>, comma-separated), or empty.</param>
    /// <param name="removed">The names of the top-level members to cut out, as UTF-8.</param>
    public static ReadOnlyMemory<byte> Object(ReadOnlySpan<byte> json, string model, ReadOnlySpan<byte> appended, params ReadOnlySpan<byte[]> removed)
    {
        var encoded = JsonEncodedText.Encode(model).EncodedUtf8Bytes;
        var output = new ArrayBufferWriter<byte>(json.Length + encoded.Length + appended.Length + 3);
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 64 });
        reader.Read(); // the opening brace
        var copied = 0; // source bytes before this offset are already written (or deliberately left out)
        var previousEnd = (int)reader.BytesConsumed; // just after the brace, or after the previous member's value
        var kept = false; // a member is in the output already: a cut member takes the comma before it
        var cutFirstMember = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var nameStart = (int)reader.TokenStartIndex;
            if (cutFirstMember)
            {
                // The members cut so far were the first: the comma after the last of them goes too, up to this name.
                copied = nameStart;
                cutFirstMember = false;
            }

            var isModel = reader.ValueTextEquals("model"u8);
            var isRemoved = !isModel && IsAny(ref reader, removed);
            reader.Read();
            var valueStart = (int)reader.TokenStartIndex;
            reader.Skip();
            var valueEnd = (int)reader.BytesConsumed;
            if (isModel)
            {
                output.Write(json[copied..valueStart]);
                output.Write("\""u8);
                output.Write(encoded);
                output.Write("\""u8);
                copied = valueEnd;
            }
            else if (isRemoved)
            {
                if (kept)
                {
                    output.Write(json[copied..previousEnd]);
                }
                else
                {
                    output.Write(json[copied..nameStart]);
                    cutFirstMember = true;
                }

                copied = valueEnd;
            }

            kept |= !isRemoved;
            previousEnd = valueEnd;
        }

        // The reader stands on the closing brace: the added members go just before it.
        var close = (int)reader.TokenStartIndex;
        if (appended.IsEmpty)
        {
            output.Write(json[copied..]);
            return output.WrittenMemory;
        }

        if (kept)
        {
            output.Write(json[copied..previousEnd]);
            output.Write(","u8);
        }
        else
        {
            // Nothing kept: whatever stood between the brace (or a cut member) and the closing brace was only space.
            output.Write(json[copied..Math.Max(copied, Math.Min(previousEnd, close))]);
        }

        output.Write(appended);
        output.Write(json[close..]);
        return output.WrittenMemory;
    }

    private static bool IsAny(ref Utf8JsonReader reader, scoped ReadOnlySpan<byte[]> names)
    {
        foreach (var name in names)
        {
            if (reader.ValueTextEquals(name))
            {
                return true;
            }
        }

        return false;
    }
}
