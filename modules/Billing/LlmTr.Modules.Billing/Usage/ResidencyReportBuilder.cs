using LlmTr.Modules.Billing.Contracts;
using LlmTr.Modules.Billing.Data;
using Microsoft.EntityFrameworkCore;

namespace LlmTr.Modules.Billing.Usage;

/// <summary>
/// The residency report from usage rows: the database groups the period's rows by key, model and recorded countries
/// (a handful of groups however many requests), and the groups are folded into the report's three views here;
/// requests refused before reaching any data path are listed apart.
/// </summary>
internal sealed class ResidencyReportBuilder(IDbContextFactory<BillingDbContext> contexts) : IResidencyReport
{
    private const string Turkey = "TR";

    public async Task<ResidencyReport> BuildAsync(string accountId, UsageFilter filter, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var groups = await UsageHistory.Filtered(db, accountId, filter)
            .GroupBy(u => new { u.KeyId, u.ModelId, u.ProcessedIn })
            .Select(g => new Group(g.Key.KeyId, g.Key.ModelId, g.Key.ProcessedIn, g.LongCount(), g.Sum(u => u.PromptTokens + u.CompletionTokens)))
            .ToListAsync(cancellationToken);

        var total = ResidencyFigures.None;
        var byCountry = new Dictionary<string, ResidencyFigures>(StringComparer.Ordinal);
        var byKey = new Dictionary<string, ResidencyFigures>(StringComparer.Ordinal);
        var byModel = new Dictionary<string, ResidencyFigures>(StringComparer.Ordinal);
        var refused = new Dictionary<string, ResidencyFigures>(StringComparer.Ordinal);
        foreach (var group in groups)
        {
            if (group.ProcessedIn.Length == 0)
            {
                // No country recorded: the request was refused before any model's data path (the gateway records the
                // path's countries only once a model served it or a provider was called).
                Add(refused, group.ModelId, group, inTurkey: false);
                continue;
            }

            var inTurkey = group.ProcessedIn.All(c => c == Turkey);
            total = total.Add(group.Requests, group.Tokens, inTurkey);
            foreach (var country in group.ProcessedIn.Distinct(StringComparer.Ordinal))
            {
                Add(byCountry, country, group, inTurkey);
            }

            Add(byKey, group.KeyId.ToString(), group, inTurkey);
            Add(byModel, group.ModelId, group, inTurkey);
        }

        return new ResidencyReport(filter, total, Lines(byCountry), Lines(byKey), Lines(byModel), Lines(refused));
    }

    private static void Add(Dictionary<string, ResidencyFigures> view, string name, Group group, bool inTurkey) =>
        view[name] = view.GetValueOrDefault(name, ResidencyFigures.None).Add(group.Requests, group.Tokens, inTurkey);

    private static List<ResidencyLine> Lines(Dictionary<string, ResidencyFigures> view) =>
        view.Select(p => new ResidencyLine(p.Key, p.Value)).OrderByDescending(l => l.Figures.Requests).ThenBy(l => l.Name, StringComparer.Ordinal).ToList();

    private sealed record Group(Guid KeyId, string ModelId, string[] ProcessedIn, long Requests, long Tokens);
}
