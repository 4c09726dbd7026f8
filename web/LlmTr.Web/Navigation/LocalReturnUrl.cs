using System.Diagnostics.CodeAnalysis;
using Microsoft.AspNetCore.Components;

namespace LlmTr.Web.Navigation;

/// <summary>
/// Return URLs arrive from query strings and forms, so only same-site paths are followed; anything else
/// (absolute, protocol-relative, backslash tricks) would make the site an open redirector.
/// </summary>
internal static class LocalReturnUrl
{
    public const string Root = "/";

    public static string OrRoot(string? url) => OrDefault(url, Root);

    public static string OrDefault(string? url, string fallback) => IsLocal(url) ? url : fallback;

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

    /// <summary>The page being shown, as a local path with its query, to come back to after a round trip.</summary>
    public static string Current(NavigationManager navigation) => Root + navigation.ToBaseRelativePath(navigation.Uri);
}
