using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace LlmTr.Modules.Gateway.Protocols.Gemini;

/// <summary>
/// A base64 <c>data:</c> URL (RFC 2397), the way OpenAI clients send images and files inline:
/// <c>data:image/png;base64,iVBOR…</c>. The payload is read straight from the request's JSON, not copied into a
/// string, since inline media make up most of a large request.
/// </summary>
internal static class DataUrl
{
    public static bool TryParse(JsonElement url, out string mediaType, out ReadOnlySpan<byte> payload)
    {
        mediaType = "";
        payload = default;
        var value = JsonMarshal.GetRawUtf8Value(url);
        if (value.Length >= 2 && value[0] == (byte)'"')
        {
            value = value[1..^1];
        }

        if (value.Contains((byte)'\\'))
        {
            // An escaped character somewhere (a client that writes '/' as "\/"): read the value the ordinary way.
            value = Encoding.UTF8.GetBytes(url.GetString()!);
        }

        var comma = value.IndexOf((byte)',');
        if (!value.StartsWith("data:"u8) || comma < 0)
        {
            return false;
        }

        var header = value[5..comma];
        const int Base64Marker = 7;
        if (header.Length < Base64Marker || !System.Text.Ascii.EqualsIgnoreCase(header[^Base64Marker..], ";base64"u8))
        {
            return false;
        }

        var type = header[..header.IndexOf((byte)';')];
        mediaType = type.IsEmpty ? "application/octet-stream" : Encoding.UTF8.GetString(type);
        payload = value[(comma + 1)..];
        return true;
    }
}
