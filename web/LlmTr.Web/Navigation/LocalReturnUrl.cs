using System.Diagnostics.CodeAnalysis;
using System.Text;
using Microsoft.AspNetCore.Components;

namespace LlmTr.Web.Navigation;

/// <summary>
/// Return URLs arrive from query strings and forms, so only same-site paths are followed; anything else
/// (absolute, protocol-relative, backslash tricks) would make the site an open redirector. What is followed is made
/// ASCII, because it ends up in a Location header, which cannot carry anything else.
/// </summary>
internal static class LocalReturnUrl
{
    public const string Root = "/";

    public static string OrRoot(string? url) => OrDefault(url, Root);

    public static string OrDefault(string? url, string fallback) => IsLocal(url) ? Ascii(url) : fallback;

    public static bool IsLocal([NotNullWhen(true)] string? url)
    {
        if (string.IsNullOrEmpty(url) || url[0] != '/')
        {
            return false;
        }

        if (url.Length > 1 && (url[1] == '/' || url[1] == '\\'))
        {
            return false;
        }

        return !url.Any(char.IsControl);
    }

    /// <summary>
    /// Percent-encodes (as UTF-8) every character beyond ASCII, as a browser does before sending an address, and leaves
    /// ASCII alone, so <c>/docs/tr/başla</c> becomes <c>/docs/tr/ba%C5%9Fla</c> and still leads to the same page. Only
    /// characters that cannot be '/' or '\' are touched, so the address stays local. A lone surrogate becomes U+FFFD.
    /// </summary>
    private static string Ascii(string url)
    {
        if (System.Text.Ascii.IsValid(url))
        {
            return url;
        }

        var ascii = new StringBuilder(url.Length * 3);
        Span<byte> utf8 = stackalloc byte[4];
        for (var i = 0; i < url.Length; i++)
        {
            if (url[i] < 0x80)
            {
                ascii.Append(url[i]);
                continue;
            }

            var rune = Rune.TryGetRuneAt(url, i, out var value) ? value : Rune.ReplacementChar;
            var length = rune.EncodeToUtf8(utf8);
            foreach (var b in utf8[..length])
            {
                ascii.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }

            i += char.IsSurrogatePair(url, i) ? 1 : 0;
        }

        return ascii.ToString();
    }

    /// <summary>The page being shown, as a local path with its query, to come back to after a round trip.</summary>
    public static string Current(NavigationManager navigation) => Root + navigation.ToBaseRelativePath(navigation.Uri);
}
