using System.Text;
using QRCoder;

namespace LlmTr.Web.Account;

/// <summary>What an authenticator app needs to add an account: the shared key (grouped for reading) and its QR code.</summary>
internal static class AuthenticatorSetup
{
    private const string Issuer = "LLMTR";

    /// <summary>The key in groups of four, as apps show it; spaces are ignored when typed in.</summary>
    public static string Readable(string key)
    {
        var result = new StringBuilder();
        for (var i = 0; i < key.Length; i += 4)
        {
            result.Append(key.AsSpan(i, Math.Min(4, key.Length - i))).Append(' ');
        }

        return result.ToString().TrimEnd().ToLowerInvariant();
    }

    /// <summary>The standard <c>otpauth://</c> address (RFC 6238, SHA-1, six digits, 30 seconds).</summary>
    public static string Uri(string email, string key) =>
        $"otpauth://totp/{System.Uri.EscapeDataString(Issuer)}:{System.Uri.EscapeDataString(email)}?secret={key}&issuer={System.Uri.EscapeDataString(Issuer)}&digits=6";

    /// <summary>The address as a QR code in an SVG data URI, drawn on the server (no script, nothing leaves the site).</summary>
    public static string QrCodeDataUri(string otpauthUri)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(otpauthUri, QRCodeGenerator.ECCLevel.Q);
        var svg = new SvgQRCode(data).GetGraphic(4);
        return "data:image/svg+xml;base64," + Convert.ToBase64String(Encoding.UTF8.GetBytes(svg));
    }
}
