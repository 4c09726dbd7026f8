using System.Collections.Concurrent;
using System.Globalization;
using LlmTr.Modules.Billing.Contracts;
using Microsoft.Extensions.Options;

namespace LlmTr.Modules.Billing.Ledger;

/// <summary>
/// Every account's credit on this host, in memory: the credit gate and balance queries never touch the database.
/// Loaded before the host serves, debited at once by recorded usage, and refreshed from the ledger when any host
/// changes an account (a notice names the account and its new version).
/// </summary>
internal sealed class AccountCredits(TimeProvider time, IOptions<BillingOptions> options) : ICreditGate, IBalanceQuery
{
    private readonly ConcurrentDictionary<string, AccountCredit> _accounts = new(StringComparer.Ordinal);

    public string Currency => options.Value.Currency;

    public CreditDecision Check(string accountId, Guid keyId, decimal? keySpendLimit, decimal? keyMonthlySpendLimit)
    {
        var (balance, keyTotal, keyMonth) = _accounts.TryGetValue(accountId, out var account)
            ? account.Read(keyId, KeySpend.MonthOf(time.GetUtcNow()))
            : (0m, 0m, 0m);
        return balance <= 0m ? NoCredit(balance) : KeyLimits(keyTotal, keyMonth, keySpendLimit, keyMonthlySpendLimit) ?? CreditDecision.Allowed;
    }

    public CreditDecision Reserve(string accountId, Guid keyId, decimal? keySpendLimit, decimal? keyMonthlySpendLimit)
    {
        if (!_accounts.TryGetValue(accountId, out var account))
        {
            return NoCredit(0m);
        }

        var (balance, keyTotal, keyMonth, inFlight, admitted) = account.Reserve(keyId, KeySpend.MonthOf(time.GetUtcNow()), options.Value.InFlightReserve);
        if (!admitted)
        {
            return balance <= 0m ? NoCredit(balance) : new CreditDecision(string.Create(CultureInfo.InvariantCulture,
                $"Your LLMTR credit balance of {Math.Round(balance, 2, MidpointRounding.AwayFromZero):0.00} {Currency} is held by the {inFlight} paid requests of this account still running. Retry when they finish, or add credit on the billing page of your dashboard (/dashboard/billing)."));
        }

        if (KeyLimits(keyTotal, keyMonth, keySpendLimit, keyMonthlySpendLimit) is { } refused)
        {
            account.Release();
            return refused;
        }

        return CreditDecision.Allowed;
    }

    public void Release(string accountId)
    {
        if (_accounts.TryGetValue(accountId, out var account))
        {
            account.Release();
        }
    }

    private CreditDecision NoCredit(decimal balance) => new(string.Create(CultureInfo.InvariantCulture,
        $"Your LLMTR credit balance is {Math.Round(balance, 2, MidpointRounding.AwayFromZero):0.00} {Currency}. Add credit on the billing page of your dashboard (/dashboard/billing), then retry."));

    private CreditDecision? KeyLimits(decimal keyTotal, decimal keyMonth, decimal? keySpendLimit, decimal? keyMonthlySpendLimit)
    {
        if (keySpendLimit is { } limit && keyTotal >= limit)
        {
            return new CreditDecision(string.Create(CultureInfo.InvariantCulture,
                $"This API key has reached its spend limit of {limit:0.00} {Currency}. Raise the key's limit or use another key (dashboard: /dashboard/keys); your balance is unaffected."));
        }

        if (keyMonthlySpendLimit is { } monthly && keyMonth >= monthly)
        {
            return new CreditDecision(string.Create(CultureInfo.InvariantCulture,
                $"This API key has reached its monthly spend limit of {monthly:0.00} {Currency}. It resets on the first of next month (UTC); raise the limit or use another key (dashboard: /dashboard/keys)."));
        }

        return null;
    }

    public Task<AccountBalance> GetAsync(string accountId, CancellationToken cancellationToken = default) =>
        Task.FromResult(new AccountBalance(accountId, BalanceOf(accountId), Currency));

    public decimal BalanceOf(string accountId) => _accounts.TryGetValue(accountId, out var account) ? account.Balance : 0m;

    /// <summary>The database version this host knows the account at (0: never read).</summary>
    public long VersionOf(string accountId) => _accounts.TryGetValue(accountId, out var account) ? account.Version : 0;

    public void Debit(string accountId, Guid keyId, DateOnly month, decimal cost) => For(accountId).Debit(keyId, month, cost);

    public void Settle(AccountBatch batch, long versionAfter) => For(batch.AccountId).Settle(batch, versionAfter);

    public void Apply(IEnumerable<LoadedAccount> loaded)
    {
        foreach (var account in loaded)
        {
            For(account.AccountId).Apply(account);
        }
    }

    private AccountCredit For(string accountId) => _accounts.GetOrAdd(accountId, static _ => new AccountCredit());
}
