namespace LlmTr.Web.Layout;

/// <summary>
/// The addresses the site's navigation links to, and which of them the visitor is at: the one naming the current page
/// or the section it belongs to (<c>/dashboard/requests/req_…</c> is under Requests), so the navigation can mark it
/// with <c>aria-current="page"</c>. The home link stands only for the home page itself.
/// </summary>
internal static class NavigationLinks
{
    public const string Home = "/";
    public const string Models = "/models";
    public const string Docs = "/docs";
    public const string Dashboard = "/dashboard";
    public const string Keys = "/dashboard/keys";
    public const string Playground = "/dashboard/playground";
    public const string Requests = "/dashboard/requests";
    public const string Billing = "/dashboard/billing";
    public const string Residency = "/dashboard/residency";
    public const string Admin = "/admin";
    public const string Settings = "/account/manage";

    private static readonly string[] All = [Home, Models, Docs, Dashboard, Keys, Playground, Requests, Billing, Residency, Admin, Settings];

    /// <summary>Pages reached at a second address, whose link is the one of their first.</summary>
    private static readonly Dictionary<string, string> Aliases = new(StringComparer.OrdinalIgnoreCase)
    {
        ["/dashboard/settings"] = Settings,
    };

    /// <summary>The link that stands for <paramref name="path"/> (a path without query), or null when none does.</summary>
    public static string? CurrentFor(string path) =>
        Aliases.GetValueOrDefault(path.TrimEnd('/')) ?? All.Where(link => Covers(link, path)).MaxBy(link => link.Length);

    /// <summary>"page" for the link that stands for <paramref name="path"/>, otherwise null (no attribute).</summary>
    public static string? AriaCurrent(string link, string path) =>
        string.Equals(CurrentFor(path), link, StringComparison.Ordinal) ? "page" : null;

    private static bool Covers(string link, string path) =>
        link == Home
            ? path == Home
            : path.Equals(link, StringComparison.OrdinalIgnoreCase)
              || (path.StartsWith(link, StringComparison.OrdinalIgnoreCase) && path.Length > link.Length && path[link.Length] == '/');
}
