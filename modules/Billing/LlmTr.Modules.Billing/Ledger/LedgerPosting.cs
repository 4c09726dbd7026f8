using LlmTr.Modules.Billing.Data;
using Microsoft.EntityFrameworkCore;

namespace LlmTr.Modules.Billing.Ledger;

internal static class LedgerPosting
{
    /// <summary>
    /// Inside the caller's transaction: appends the entry, moves the account's balance by its amount (creating the
    /// account on its first entry) and queues the notice every host reloads the account from when the caller commits.
    /// </summary>
    public static async Task<LedgerEntryRecord> PostAsync(this BillingDbContext db, LedgerEntryRecord entry, CancellationToken cancellationToken)
    {
        db.LedgerEntries.Add(entry);
        await db.SaveChangesAsync(cancellationToken);
        var versions = await db.Database.SqlQuery<long>($"""
            INSERT INTO billing.accounts ("AccountId", "Balance", "Currency", "Version", "UpdatedAt")
            VALUES ({entry.AccountId}, {entry.Amount}, {entry.Currency}, 1, {entry.At})
            ON CONFLICT ("AccountId") DO UPDATE SET
              "Balance" = accounts."Balance" + excluded."Balance",
              "Version" = accounts."Version" + 1,
              "UpdatedAt" = excluded."UpdatedAt"
            RETURNING "Version" AS "Value"
            """).ToListAsync(cancellationToken);
        foreach (var payload in CreditChangeListener.Payloads([(entry.AccountId, versions.Single())]))
        {
            await db.Database.ExecuteSqlAsync($"SELECT pg_notify({BillingDbContext.ChangeChannel}, {payload})", cancellationToken);
        }

        return entry;
    }
}
