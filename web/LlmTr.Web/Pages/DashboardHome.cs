using LlmTr.Identity.Organisations;
using LlmTr.Modules.Billing.Contracts;
using LlmTr.Web.Organisations;
using LlmTr.Modules.Keys.Contracts;

namespace LlmTr.Web.Pages;

/// <summary>What the dashboard home shows, read once per visit through the modules' contracts.</summary>
internal sealed record DashboardHome(
    BillingOverview Overview,
    decimal SpentThisMonth,
    long RequestsToday,
    int ActiveKeys,
    IReadOnlyList<UsageRow> Latest,
    IReadOnlyList<DashboardStep> Steps)
{
    public const int LatestCount = 5;

    public static async Task<DashboardHome> LoadAsync(Membership membership, IBillingAccounts accounts, IUsageHistory usage, IApiKeys keys, DateTimeOffset now)
    {
        var accountId = membership.OrganisationId;
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var monthStart = new DateOnly(today.Year, today.Month, 1);
        var overview = await accounts.GetOverviewAsync(accountId);
        var month = await usage.DailySpendAsync(accountId, monthStart, today);
        var latest = await usage.QueryAsync(accountId, new UsageFilter(), 0, LatestCount);
        var keyList = await keys.ListAsync(membership.Keys());
        var active = keyList.Count(k => k.StateAt(now) is ApiKeyState.Active or ApiKeyState.ActiveUntil);

        // A new user's path, each step checked off as it is done: the account (done by being here), a key (any key made,
        // even one since revoked), credit, then a first request (the playground counts).
        IReadOnlyList<DashboardStep> steps =
        [
            new("Dash_StepAccount", "/account/manage", true),
            new("Dashboard_StepCreateKey", "/dashboard/keys", keyList.Count > 0),
            new("Dashboard_StepTopUp", "/dashboard/billing", overview.Balance > 0),
            new("Dashboard_StepFirstRequest", "/dashboard/playground", latest.Total > 0),
        ];
        return new DashboardHome(
            overview,
            month.Sum(d => d.Cost),
            month.Where(d => d.Day == today).Sum(d => d.Requests),
            active,
            latest.Rows,
            steps);
    }
}

/// <param name="TextKey">The step's resource key.</param>
public sealed record DashboardStep(string TextKey, string Href, bool Done);
