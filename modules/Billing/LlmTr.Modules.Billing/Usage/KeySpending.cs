using LlmTr.Modules.Billing.Contracts;
using LlmTr.Modules.Billing.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace LlmTr.Modules.Billing.Usage;

/// <summary>Per-key spend as the ledger's batches have written it (what spend limits are checked against).</summary>
internal sealed class KeySpending(IDbContextFactory<BillingDbContext> contexts, TimeProvider time, IOptions<BillingOptions> options) : IKeySpending
{
    public async Task<IReadOnlyDictionary<Guid, KeySpendSummary>> ForAccountAsync(string accountId, CancellationToken cancellationToken = default)
    {
        var month = Ledger.KeySpend.MonthOf(time.GetUtcNow());
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rows = await db.KeySpend.AsNoTracking().Where(s => s.AccountId == accountId).ToListAsync(cancellationToken);
        return rows.ToDictionary(
            s => s.KeyId,
            s => new KeySpendSummary(s.Total, new Ledger.KeySpend(s.Total, s.Month, s.MonthAmount).In(month), options.Value.Currency));
    }
}
