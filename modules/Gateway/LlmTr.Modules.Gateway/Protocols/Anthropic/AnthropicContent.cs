using System.Text;
using System.Text.Json;

namespace LlmTr.Modules.Gateway.Protocols.Anthropic;

/// <summary>
/// OpenAI content (a string, or parts) as Anthropic content blocks: text, images (base64 from a data URL, or by URL),
/// and files sent as <c>file_data</c> (PDF documents; plain text as a text document). A file sent only by OpenAI
/// <c>file_id</c> cannot be translated (the id means nothing to Anthropic) and is left out, as is audio (the catalog
/// refuses audio input for models without it before any call). A part's <c>cache_control</c> is kept, so clients can
/// mark prompt-cache breakpoints as they would with Anthropic directly.
/// </summary>
internal static class AnthropicContent
{
    public static bool HasBlocks(JsonElement content) => content.ValueKind switch
    {
        JsonValueKind.String => !content.ValueEquals(""u8),
        JsonValueKind.Array => content.EnumerateArray().Any(Produces),
        _ => false,
    };

    public static void WriteBlocks(Utf8JsonWriter writer, JsonElement content)
    {
        if (content.ValueKind == JsonValueKind.Array)
        {
            foreach (var part in content.EnumerateArray())
            {
                WritePart(writer, part);
            }
        }
        else
        {
            WritePart(writer, content);
        }
    }

    /// <summary>One part (or a whole string content) as one block; nothing for a part that makes none.</summary>
    public static void WritePart(Utf8JsonWriter writer, JsonElement part)
    {
        if (part.ValueKind == JsonValueKind.String)
        {
            if (!part.ValueEquals(""u8))
            {
                WriteText(writer, part.GetString()!);
            }

            return;
        }

        if (!Produces(part))
        {
            return;
        }

        writer.WriteStartObject();
        var type = part.GetProperty("type");
        if (type.ValueEquals("text"u8) || type.ValueEquals("refusal"u8))
        {
            writer.WriteString("type"u8, "text"u8);
            writer.WriteString("text"u8, part.GetProperty(type.ValueEquals("text"u8) ? "text" : "refusal").GetString());
        }
        else if (type.ValueEquals("image_url"u8))
        {
            WriteImage(writer, part.GetProperty("image_url").GetProperty("url").GetString()!);
        }
        else
        {
            WriteFile(writer, part.GetProperty("file"));
        }

        if (part.TryGetProperty("cache_control", out var cache) && cache.ValueKind == JsonValueKind.Object)
        {
            writer.WritePropertyName("cache_control"u8);
            cache.WriteTo(writer);
        }

        writer.WriteEndObject();
    }

    public static void WriteText(Utf8JsonWriter writer, string text)
    {
        writer.WriteStartObject();
        writer.WriteString("type"u8, "text"u8);
        writer.WriteString("text"u8, text);
        writer.WriteEndObject();
    }

    private static bool Produces(JsonElement part)
    {
        if (part.ValueKind != JsonValueKind.Object || !part.TryGetProperty("type", out var type))
        {
            return false;
        }

        return type.ValueEquals("text"u8) ? NonEmpty(part, "text")
            : type.ValueEquals("refusal"u8) ? NonEmpty(part, "refusal")
            : type.ValueEquals("image_url"u8) || (type.ValueEquals("file"u8) && part.TryGetProperty("file", out var file) && NonEmpty(file, "file_data"));
    }

    private static bool NonEmpty(JsonElement owner, string name) =>
        owner.ValueKind == JsonValueKind.Object && owner.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && !value.ValueEquals(""u8);

    private static void WriteImage(Utf8JsonWriter writer, string url)
    {
        writer.WriteString("type"u8, "image"u8);
        if (DataUrl.TryParse(url, out var mediaType, out var data))
        {
            WriteSource(writer, "base64"u8, mediaType, data);
            return;
        }

        writer.WriteStartObject("source"u8);
        writer.WriteString("type"u8, "url"u8);
        writer.WriteString("url"u8, url);
        writer.WriteEndObject();
    }

    /// <summary>
    /// A file part. OpenAI's <c>file_data</c> is a data URL (or bare base64, which OpenAI takes to be a PDF): PDFs become
    /// base64 documents, plain text a text document, images an image block; the file name becomes the document's title.
    /// </summary>
    private static void WriteFile(Utf8JsonWriter writer, JsonElement file)
    {
        var fileData = file.GetProperty("file_data").GetString()!;
        ReadOnlySpan<char> data;
        if (!DataUrl.TryParse(fileData, out var mediaType, out data))
        {
            mediaType = "application/pdf";
            data = fileData;
        }

        if (mediaType.StartsWith("image/", StringComparison.Ordinal))
        {
            WriteImage(writer, fileData);
            return;
        }

        writer.WriteString("type"u8, "document"u8);
        if (mediaType == "text/plain" && Base64Text(data) is { } text)
        {
            WriteSource(writer, "text"u8, mediaType, text);
        }
        else
        {
            WriteSource(writer, "base64"u8, mediaType, data);
        }

        if (file.TryGetProperty("filename", out var name) && name.ValueKind == JsonValueKind.String && !name.ValueEquals(""u8))
        {
            writer.WriteString("title"u8, name.GetString());
        }
    }

    private static void WriteSource(Utf8JsonWriter writer, ReadOnlySpan<byte> type, string mediaType, ReadOnlySpan<char> data)
    {
        writer.WriteStartObject("source"u8);
        writer.WriteString("type"u8, type);
        writer.WriteString("media_type"u8, mediaType);
        writer.WriteString("data"u8, data);
        writer.WriteEndObject();
    }

    /// <summary>Base64 UTF-8 text decoded, or null when it is not base64 (then it goes up as sent, for Anthropic to judge).</summary>
    private static string? Base64Text(ReadOnlySpan<char> data)
    {
        var bytes = new byte[data.Length * 3 / 4 + 3];
        return Convert.TryFromBase64Chars(data, bytes, out var written) ? Encoding.UTF8.GetString(bytes, 0, written) : null;
    }
}
