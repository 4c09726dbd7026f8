using System.Text.RegularExpressions;

namespace LlmTr.Web.Account;

/// <summary>A plain-text mail cut into text and http(s) links, so the dev mailbox can make each link clickable.</summary>
internal static partial class MailText
{
    public static IEnumerable<(string Text, bool IsLink)> Pieces(string body)
    {
        var at = 0;
        foreach (Match link in Links().Matches(body))
        {
            if (link.Index > at)
            {
                yield return (body[at..link.Index], false);
            }

            yield return (link.Value, true);
            at = link.Index + link.Length;
        }

        if (at < body.Length)
        {
            yield return (body[at..], false);
        }
    }

    [GeneratedRegex(@"https?://[^\s<>""]+", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex Links();
}
