using System.Text.Json;

namespace LlmTr.Modules.Gateway.Protocols.Gemini;

/// <summary>
/// A message's content as Gemini parts: text as <c>text</c>; images, audio and files sent inline (base64 data URLs,
/// <c>input_audio</c>, <c>file_data</c>) as <c>inlineData</c>; images by http(s) URL and files by id as
/// <c>fileData</c>, which Gemini fetches itself.
/// </summary>
internal static class GeminiParts
{
    public static void Write(GeminiTurns turns, string role, JsonElement content)
    {
        if (content.ValueKind == JsonValueKind.String)
        {
            turns.Text(role, content);
            return;
        }

        if (content.ValueKind != JsonValueKind.Array)
        {
            return;
        }

        foreach (var part in content.EnumerateArray())
        {
            switch (part.GetProperty("type").GetString())
            {
                case "text":
                    turns.Text(role, part.GetProperty("text"));
                    break;
                case "refusal" when part.TryGetProperty("refusal", out var refusal):
                    turns.Text(role, refusal);
                    break;
                case "image_url":
                    Image(turns, role, part.GetProperty("image_url").GetProperty("url"));
                    break;
                case "input_audio":
                    var audio = part.GetProperty("input_audio");
                    InlineData(turns, role, MediaTypes.FromAudioFormat(audio.GetProperty("format").GetString()), audio.GetProperty("data"));
                    break;
                case "file":
                    File(turns, role, part.GetProperty("file"));
                    break;
            }
        }
    }

    private static void Image(GeminiTurns turns, string role, JsonElement url)
    {
        if (!TryInlineDataUrl(turns, role, url))
        {
            var address = url.GetString();
            FileData(turns, role, address!, MediaTypes.FromName(address, "image/jpeg"));
        }
    }

    /// <summary><c>file_data</c> is a data URL (or bare base64, typed by the file name); <c>file_id</c> must be a URI Gemini can read.</summary>
    private static void File(GeminiTurns turns, string role, JsonElement file)
    {
        var name = file.TryGetProperty("filename", out var filename) && filename.ValueKind == JsonValueKind.String ? filename.GetString() : null;
        if (file.TryGetProperty("file_data", out var data) && data.ValueKind == JsonValueKind.String)
        {
            if (!TryInlineDataUrl(turns, role, data))
            {
                InlineData(turns, role, MediaTypes.FromName(name, "application/pdf"), data);
            }
        }
        else if (file.TryGetProperty("file_id", out var id) && id.ValueKind == JsonValueKind.String)
        {
            FileData(turns, role, id.GetString()!, MediaTypes.FromName(name ?? id.GetString(), "application/pdf"));
        }
    }

    private static bool TryInlineDataUrl(GeminiTurns turns, string role, JsonElement url)
    {
        if (!DataUrl.TryParse(url, out var mediaType, out var payload))
        {
            return false;
        }

        BeginMedia(turns, role, "inlineData"u8, mediaType).WriteString("data"u8, payload);
        EndMedia(turns);
        return true;
    }

    private static void InlineData(GeminiTurns turns, string role, string mediaType, JsonElement base64)
    {
        var writer = BeginMedia(turns, role, "inlineData"u8, mediaType);
        writer.WritePropertyName("data"u8);
        base64.WriteTo(writer);
        EndMedia(turns);
    }

    private static void FileData(GeminiTurns turns, string role, string uri, string mediaType)
    {
        BeginMedia(turns, role, "fileData"u8, mediaType).WriteString("fileUri"u8, uri);
        EndMedia(turns);
    }

    private static Utf8JsonWriter BeginMedia(GeminiTurns turns, string role, ReadOnlySpan<byte> kind, string mediaType)
    {
        var writer = turns.BeginPart(role);
        writer.WriteStartObject(kind);
        writer.WriteString("mimeType"u8, mediaType);
        return writer;
    }

    private static void EndMedia(GeminiTurns turns)
    {
        turns.Writer.WriteEndObject();
        turns.EndPart();
    }
}
