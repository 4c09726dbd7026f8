using System.Collections.Concurrent;
using System.Globalization;
using LlmTr.Modules.Billing.Contracts;
using LlmTr.Persistence.Shared;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace LlmTr.Modules.Billing.Ledger;

/// <summary>
/// Every account's credit on this host, in memory: the credit gate and balance queries never touch the database.
/// Loaded before the host serves, debited at once by recorded usage, given the account's state by the statement that
/// writes this host's usage debit, and refreshed from the ledger when another change reaches an account (a notice
/// names the account and its new version).
/// </summary>
internal sealed class AccountCredits(TimeProvider time, IOptions<BillingOptions> options, SharedCounters counters) : ICreditGate, IBalanceQuery
{
    private readonly ConcurrentDictionary<string, AccountCredit> _accounts = new(StringComparer.Ordinal);

    /// <summary>Holds counted across hosts, when Redis is configured.</summary>
    private readonly SharedCredit? _shared = counters.IsConfigured ? new SharedCredit(counters) : null;

    public SharedCredit? Shared => _shared;

    public string Currency => options.Value.Currency;

    public CreditDecision Check(string accountId, Guid keyId, decimal? keySpendLimit, decimal? keyMonthlySpendLimit)
    {
        var (balance, keyTotal, keyMonth) = _accounts.TryGetValue(accountId, out var account)
            ? account.Read(keyId, KeySpend.MonthOf(time.GetUtcNow()))
            : (0m, 0m, 0m);
        return balance <= 0m ? NoCredit(balance) : KeyLimits(keyTotal, keyMonth, keySpendLimit, keyMonthlySpendLimit) ?? CreditDecision.Allowed;
    }

    public ValueTask<CreditHold> ReserveAsync(string accountId, Guid keyId, decimal? keySpendLimit, decimal? keyMonthlySpendLimit, decimal maximumCost, SpendBudget member = default)
    {
        if (!_accounts.TryGetValue(accountId, out var account))
        {
            return ValueTask.FromResult(CreditHold.Refused(NoCredit(0m).Refusal!));
        }

        var month = KeySpend.MonthOf(time.GetUtcNow());
        var (outcome, amount, balance, inFlight, shared) = account.Reserve(_shared?.Counters.Database, keyId, month, maximumCost, keySpendLimit, keyMonthlySpendLimit, member);
        return shared is null
            ? ValueTask.FromResult(Answer(outcome, amount, balance, inFlight, keyId, keySpendLimit, keyMonthlySpendLimit, member))
            : AdmitAcrossHostsAsync(account, shared, amount, keyId, keySpendLimit, keyMonthlySpendLimit, member);
    }

    /// <summary>The shared admission's answer for a hold this host took; while Redis fails, the hold on this host stands alone.</summary>
    private async ValueTask<CreditHold> AdmitAcrossHostsAsync(
        AccountCredit account, Task<RedisResult> shared, decimal tentative, Guid keyId, decimal? keySpendLimit, decimal? keyMonthlySpendLimit, SpendBudget member)
    {
        RedisResult[] answer;
        try
        {
            answer = (RedisResult[])(await shared)!;
            _shared!.Counters.Answered();
        }
        catch (Exception e) when (SharedCounters.IsOutage(e))
        {
            _shared!.Counters.Failed(e);
            return Answer(HoldOutcome.Held, tentative, 0m, 0, keyId, keySpendLimit, keyMonthlySpendLimit, member);
        }

        var outcome = (HoldOutcome)(int)answer[0];
        var granted = Math.Min(tentative, SharedCredit.FromNanos((long)answer[1]));
        account.Conclude(keyId, member.Id, tentative, granted, refused: outcome != HoldOutcome.Held);
        return Answer(outcome, granted, SharedCredit.FromNanos((long)answer[2]), (int)answer[3], keyId, keySpendLimit, keyMonthlySpendLimit, member);
    }

    private CreditHold Answer(HoldOutcome outcome, decimal amount, decimal balance, int inFlight, Guid keyId, decimal? keySpendLimit, decimal? keyMonthlySpendLimit, in SpendBudget member)
    {
        return outcome switch
        {
            HoldOutcome.Held => new CreditHold(null, keyId, amount) { MemberId = member.Id },
            HoldOutcome.MemberTotalReached => CreditHold.Refused(string.Create(CultureInfo.InvariantCulture,
                $"You have reached your budget of {member.Total:0.00} {Currency} in this organisation. Ask an owner or admin of the organisation to raise it (dashboard: /organisation/members).")),
            HoldOutcome.MemberMonthReached => CreditHold.Refused(string.Create(CultureInfo.InvariantCulture,
                $"You have reached your monthly budget of {member.Monthly:0.00} {Currency} in this organisation. It resets on the first of next month (UTC); an owner or admin of the organisation can raise it (dashboard: /organisation/members).")),
            HoldOutcome.MemberTotalHeld or HoldOutcome.MemberMonthHeld => CreditHold.Refused(string.Create(CultureInfo.InvariantCulture,
                $"What is left of your {(outcome == HoldOutcome.MemberTotalHeld ? "" : "monthly ")}budget of {(outcome == HoldOutcome.MemberTotalHeld ? member.Total : member.Monthly):0.00} {Currency} in this organisation is held by your paid requests still running (each holds what it can cost at most until it ends). Retry when they finish.")),
            HoldOutcome.NoBalance => CreditHold.Refused(NoCredit(balance).Refusal!),
            HoldOutcome.BalanceHeld => CreditHold.Refused(string.Create(CultureInfo.InvariantCulture,
                $"Your LLMTR credit balance of {Math.Round(balance, 2, MidpointRounding.AwayFromZero):0.00} {Currency} is held by the {inFlight} paid requests of this account still running (each holds what it can cost at most until it ends). Retry when they finish, ask for fewer tokens (max_tokens), or add credit on the billing page of your dashboard (/dashboard/billing).")),
            HoldOutcome.KeyTotalHeld => CreditHold.Refused(string.Create(CultureInfo.InvariantCulture,
                $"What is left of this API key's spend limit of {keySpendLimit:0.00} {Currency} is held by its paid requests still running (each holds what it can cost at most until it ends). Retry when they finish, or raise the key's limit (dashboard: /dashboard/keys).")),
            HoldOutcome.KeyMonthHeld => CreditHold.Refused(string.Create(CultureInfo.InvariantCulture,
                $"What is left of this API key's monthly spend limit of {keyMonthlySpendLimit:0.00} {Currency} is held by its paid requests still running (each holds what it can cost at most until it ends). Retry when they finish, or raise the key's limit (dashboard: /dashboard/keys).")),
            HoldOutcome.KeyTotalReached => CreditHold.Refused(TotalLimitReached(keySpendLimit ?? 0m).Refusal!),
            _ => CreditHold.Refused(MonthlyLimitReached(keyMonthlySpendLimit ?? 0m).Refusal!),
        };
    }

    public void Release(string accountId, in CreditHold hold)
    {
        if (hold.IsAllowed && _accounts.TryGetValue(accountId, out var account))
        {
            account.Release(hold.KeyId, hold.Amount, hold.MemberId);
        }
    }

    private CreditDecision NoCredit(decimal balance) => new(string.Create(CultureInfo.InvariantCulture,
        $"Your LLMTR credit balance is {Math.Round(balance, 2, MidpointRounding.AwayFromZero):0.00} {Currency}. Add credit on the billing page of your dashboard (/dashboard/billing), then retry."));

    private CreditDecision? KeyLimits(decimal keyTotal, decimal keyMonth, decimal? keySpendLimit, decimal? keyMonthlySpendLimit) =>
        keySpendLimit is { } limit && keyTotal >= limit ? TotalLimitReached(limit)
        : keyMonthlySpendLimit is { } monthly && keyMonth >= monthly ? MonthlyLimitReached(monthly)
        : null;

    private CreditDecision TotalLimitReached(decimal limit) => new(string.Create(CultureInfo.InvariantCulture,
        $"This API key has reached its spend limit of {limit:0.00} {Currency}. Raise the key's limit or use another key (dashboard: /dashboard/keys); your balance is unaffected."));

    private CreditDecision MonthlyLimitReached(decimal monthly) => new(string.Create(CultureInfo.InvariantCulture,
        $"This API key has reached its monthly spend limit of {monthly:0.00} {Currency}. It resets on the first of next month (UTC); raise the limit or use another key (dashboard: /dashboard/keys)."));

    public Task<AccountBalance> GetAsync(string accountId, CancellationToken cancellationToken = default) =>
        Task.FromResult(new AccountBalance(accountId, BalanceOf(accountId), Currency));

    public decimal BalanceOf(string accountId) => _accounts.TryGetValue(accountId, out var account) ? account.Balance : 0m;

    /// <summary>The database version this host knows the account at (0: never read).</summary>
    public long VersionOf(string accountId) => _accounts.TryGetValue(accountId, out var account) ? account.Version : 0;

    public void Debit(string accountId, Guid keyId, DateOnly month, decimal cost, Guid memberId = default) => For(accountId).Debit(keyId, month, cost, memberId);

    /// <summary>Whether a notice that the account is at <paramref name="version"/> needs no read (see <see cref="AccountCredit.Knows"/>).</summary>
    public bool Knows(string accountId, long version) => _accounts.TryGetValue(accountId, out var account) && account.Knows(version);

    public void Expect(string accountId, long version) => For(accountId).Expect(version);

    public void Abandon(string accountId, long version) => For(accountId).Abandon(version);

    public void Settle(AccountBatch batch, LoadedAccount? state) => For(batch.AccountId).Settle(batch, state);

    public void Apply(IEnumerable<LoadedAccount> loaded)
    {
        foreach (var account in loaded)
        {
            For(account.AccountId).Apply(account);
        }
    }

    private AccountCredit For(string accountId) => _accounts.GetOrAdd(accountId, static (id, shared) => new AccountCredit(id, shared), _shared);
}
