using LlmTr.Modules.Billing.Contracts;
using LlmTr.Modules.Billing.Data;
using Microsoft.EntityFrameworkCore;

namespace LlmTr.Modules.Billing.Receipts;

internal sealed class BillingProfiles(IDbContextFactory<BillingDbContext> contexts, TimeProvider time) : IBillingProfiles
{
    public async Task<BillingDetails?> GetAsync(string accountId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var record = await db.BillingDetails.AsNoTracking().SingleOrDefaultAsync(d => d.AccountId == accountId, cancellationToken);
        return record?.ToContract();
    }

    public async Task<IReadOnlyDictionary<string, string[]>> SaveAsync(string accountId, BillingDetails details, CancellationToken cancellationToken = default)
    {
        var normalized = BillingDetailsRules.Normalize(details);
        if (BillingDetailsRules.Problems(normalized) is { Count: > 0 } problems)
        {
            return problems;
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var record = await db.BillingDetails.SingleOrDefaultAsync(d => d.AccountId == accountId, cancellationToken);
        if (record is null)
        {
            record = new BillingDetailsRecord { AccountId = accountId, Name = "", Address = "", TaxId = "" };
            db.BillingDetails.Add(record);
        }

        record.Kind = normalized.Kind;
        record.Name = normalized.Name;
        record.Address = normalized.Address;
        record.TaxOffice = normalized.TaxOffice;
        record.TaxId = normalized.TaxId;
        record.UpdatedAt = time.GetUtcNow();
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException) when (db.Entry(record).State == EntityState.Added)
        {
            // Saved at the same moment from another tab: the other save created the row; this one updates it.
            await using var retry = await contexts.CreateDbContextAsync(cancellationToken);
            await retry.BillingDetails.Where(d => d.AccountId == accountId).ExecuteUpdateAsync(u => u
                .SetProperty(d => d.Kind, normalized.Kind).SetProperty(d => d.Name, normalized.Name).SetProperty(d => d.Address, normalized.Address)
                .SetProperty(d => d.TaxOffice, normalized.TaxOffice).SetProperty(d => d.TaxId, normalized.TaxId).SetProperty(d => d.UpdatedAt, time.GetUtcNow()),
                cancellationToken);
        }

        return new Dictionary<string, string[]>();
    }

    public async Task DeleteAsync(string accountId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await db.BillingDetails.Where(d => d.AccountId == accountId).ExecuteDeleteAsync(cancellationToken);
    }
}
