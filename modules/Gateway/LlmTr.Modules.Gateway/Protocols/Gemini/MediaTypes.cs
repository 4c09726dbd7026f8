namespace LlmTr.Modules.Gateway.Protocols.Gemini;

/// <summary>
/// Media types from a file name or URL's extension, for the parts that arrive without one (an image by URL, a file by
/// name, audio by format). Gemini needs the type to read the bytes.
/// </summary>
internal static class MediaTypes
{
    private static readonly Dictionary<string, string> ByExtension = new(StringComparer.OrdinalIgnoreCase)
    {
        ["png"] = "image/png",
        ["jpg"] = "image/jpeg",
        ["jpeg"] = "image/jpeg",
        ["webp"] = "image/webp",
        ["gif"] = "image/gif",
        ["heic"] = "image/heic",
        ["heif"] = "image/heif",
        ["pdf"] = "application/pdf",
        ["txt"] = "text/plain",
        ["md"] = "text/markdown",
        ["csv"] = "text/csv",
        ["html"] = "text/html",
        ["wav"] = "audio/wav",
        ["mp3"] = "audio/mpeg",
        ["flac"] = "audio/flac",
        ["ogg"] = "audio/ogg",
        ["aac"] = "audio/aac",
        ["aiff"] = "audio/aiff",
        ["mp4"] = "video/mp4",
    };

    public static string FromName(string? nameOrUrl, string fallback)
    {
        if (string.IsNullOrEmpty(nameOrUrl))
        {
            return fallback;
        }

        var end = nameOrUrl.IndexOfAny(['?', '#']);
        var path = end < 0 ? nameOrUrl : nameOrUrl[..end];
        var dot = path.LastIndexOf('.');
        return dot >= 0 && dot > path.LastIndexOf('/') && ByExtension.TryGetValue(path[(dot + 1)..], out var type) ? type : fallback;
    }

    /// <summary>OpenAI's <c>input_audio.format</c> (<c>wav</c>, <c>mp3</c>, …) as a media type.</summary>
    public static string FromAudioFormat(string? format) =>
        format is not null && ByExtension.TryGetValue(format, out var type) && type.StartsWith("audio/", StringComparison.Ordinal)
            ? type
            : "audio/" + (format ?? "wav").ToLowerInvariant();
}
