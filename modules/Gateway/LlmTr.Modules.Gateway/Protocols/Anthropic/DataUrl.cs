namespace LlmTr.Modules.Gateway.Protocols.Anthropic;

/// <summary>A base64 <c>data:</c> URL (<c>data:image/png;base64,iVBOR…</c>), taken apart without copying its data.</summary>
internal static class DataUrl
{
    public static bool TryParse(string url, out string mediaType, out ReadOnlySpan<char> data)
    {
        mediaType = "";
        data = default;
        if (!url.StartsWith("data:", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var comma = url.IndexOf(',', StringComparison.Ordinal);
        if (comma < 0)
        {
            return false;
        }

        var header = url.AsSpan(5, comma - 5);
        if (!header.EndsWith(";base64", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var semicolon = header.IndexOf(';');
        mediaType = header[..semicolon].ToString().ToLowerInvariant();
        data = url.AsSpan(comma + 1);
        return mediaType.Length > 0;
    }
}
