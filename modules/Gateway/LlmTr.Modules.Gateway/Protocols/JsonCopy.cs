using System.Buffers;
using System.Text;
using System.Text.Json;

namespace LlmTr.Modules.Gateway.Protocols;

/// <summary>
/// Pieces of a one-pass relay: a <see cref="Utf8JsonReader"/> over the provider's bytes, a <see cref="Utf8JsonWriter"/>
/// for the client's, and members copied between them as JSON text, never made into strings or documents.
/// </summary>
internal static class JsonCopy
{
    private const int StackLimit = 256;

    /// <summary>The member the reader stands on (its name), its value copied as JSON text; the reader ends on the value's last token.</summary>
    public static void Member(ref Utf8JsonReader reader, ReadOnlySpan<byte> source, Utf8JsonWriter writer)
    {
        if (!reader.ValueIsEscaped)
        {
            writer.WritePropertyName(reader.ValueSpan);
        }
        else
        {
            var length = reader.ValueSpan.Length;
            var rented = length > StackLimit ? ArrayPool<byte>.Shared.Rent(length) : null;
            Span<byte> name = rented is null ? stackalloc byte[StackLimit] : rented;
            writer.WritePropertyName(name[..reader.CopyString(name)]);
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }

        reader.Read();
        var start = (int)reader.TokenStartIndex;
        reader.Skip();
        writer.WriteRawValue(source[start..(int)reader.BytesConsumed], skipInputValidation: true);
    }

    /// <summary>A string value's length in UTF-16 characters, without making a string of it.</summary>
    public static int Characters(ref Utf8JsonReader reader)
    {
        if (!reader.ValueIsEscaped)
        {
            return Encoding.UTF8.GetCharCount(reader.ValueSpan);
        }

        // Unescaped, the text has at most as many characters as its escaped form has bytes.
        var length = reader.ValueSpan.Length;
        var rented = length > StackLimit ? ArrayPool<char>.Shared.Rent(length) : null;
        Span<char> text = rented is null ? stackalloc char[StackLimit] : rented;
        try
        {
            return reader.CopyString(text);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<char>.Shared.Return(rented);
            }
        }
    }
}
