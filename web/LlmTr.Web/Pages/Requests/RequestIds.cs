using System.Text.RegularExpressions;

namespace LlmTr.Web.Pages.Requests;

/// <summary>What a request id looks like (<c>req_</c> and 32 hex digits), so a mistyped id is told as such, not as "not found".</summary>
internal static partial class RequestIds
{
    /// <summary>The id in canonical form, or null when the text is not one. A completion id (<c>chatcmpl-req_…</c>) is accepted too.</summary>
    public static string? Normalize(string? text)
    {
        var id = text?.Trim() ?? "";
        if (id.StartsWith("chatcmpl-", StringComparison.Ordinal))
        {
            id = id["chatcmpl-".Length..];
        }

        return Pattern().IsMatch(id) ? id.ToLowerInvariant() : null;
    }

    [GeneratedRegex("^req_[0-9a-fA-F]{32}$")]
    private static partial Regex Pattern();
}
