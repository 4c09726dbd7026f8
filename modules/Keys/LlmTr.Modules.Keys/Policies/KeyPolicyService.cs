using System.Globalization;
using LlmTr.Identity.Organisations;
using LlmTr.Modules.Keys.Contracts;
using LlmTr.Modules.Keys.Data;
using LlmTr.Modules.Keys.Issuing;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace LlmTr.Modules.Keys.Policies;

/// <summary>
/// Stores organisations' policies and member budgets, audits each change in its transaction and tells every host, whose
/// key directory rebuilds the organisation's keys with the change within moments.
/// </summary>
internal sealed class KeyPolicyService(IDbContextFactory<KeysDbContext> contexts, IOrganisationAudit audit, TimeProvider time) : IKeyPolicies
{
    public async Task<OrganisationPolicy> PolicyAsync(string accountId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var record = await db.Policies.AsNoTracking().SingleOrDefaultAsync(p => p.AccountId == accountId, cancellationToken);
        return record is null ? OrganisationPolicy.None : ToContract(record);
    }

    public async Task<IReadOnlyDictionary<string, string[]>> SetPolicyAsync(
        string accountId, OrganisationPolicy policy, string actorUserId, CancellationToken cancellationToken = default)
    {
        policy = policy with { AllowedModels = NewApiKeyValidation.Normalize(policy.AllowedModels) };
        var errors = NewApiKeyValidation.Problems(policy);
        if (errors.Count > 0)
        {
            return errors;
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var record = await db.Policies.SingleOrDefaultAsync(p => p.AccountId == accountId, cancellationToken);
        if (record is null)
        {
            record = new OrganisationPolicyRecord { AccountId = accountId, UpdatedBy = actorUserId };
            db.Policies.Add(record);
        }

        record.TurkeyOnly = policy.TurkeyOnly;
        record.NoRetention = policy.NoRetention;
        record.AllowedModels = [.. policy.AllowedModels];
        record.MaxRequestsPerMinute = policy.MaxRequestsPerMinute;
        record.UpdatedAt = time.GetUtcNow();
        record.UpdatedBy = actorUserId;
        await db.SaveChangesAsync(cancellationToken);
        await db.NotifyAccountChangedAsync(accountId, cancellationToken);
        await audit.RecordAsync(new OrganisationAuditEvent(accountId, actorUserId, OrganisationActions.PolicyChanged, "policy", Describe(policy)),
            transaction.GetDbTransaction(), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return errors;
    }

    public async Task<IReadOnlyDictionary<string, MemberBudget>> BudgetsAsync(string accountId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var budgets = await db.MemberBudgets.AsNoTracking().Where(b => b.AccountId == accountId).ToListAsync(cancellationToken);
        return budgets.ToDictionary(b => b.UserId, b => new MemberBudget(b.SpendLimit, b.MonthlySpendLimit), StringComparer.Ordinal);
    }

    public async Task<IReadOnlyDictionary<string, string[]>> SetBudgetAsync(
        string accountId, string userId, MemberBudget budget, string actorUserId, CancellationToken cancellationToken = default)
    {
        var errors = NewApiKeyValidation.Problems(budget);
        if (errors.Count > 0)
        {
            return errors;
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var record = await db.MemberBudgets.SingleOrDefaultAsync(b => b.AccountId == accountId && b.UserId == userId, cancellationToken);
        if (budget.IsEmpty)
        {
            if (record is not null)
            {
                db.MemberBudgets.Remove(record);
            }
        }
        else
        {
            if (record is null)
            {
                record = new MemberBudgetRecord { AccountId = accountId, UserId = userId, UpdatedBy = actorUserId };
                db.MemberBudgets.Add(record);
            }

            record.SpendLimit = budget.SpendLimit;
            record.MonthlySpendLimit = budget.MonthlySpendLimit;
            record.UpdatedAt = time.GetUtcNow();
            record.UpdatedBy = actorUserId;
        }

        await db.SaveChangesAsync(cancellationToken);
        await db.NotifyAccountChangedAsync(accountId, cancellationToken);
        await audit.RecordAsync(new OrganisationAuditEvent(accountId, actorUserId, OrganisationActions.BudgetChanged, $"member:{userId}",
            string.Create(CultureInfo.InvariantCulture, $"total {budget.SpendLimit?.ToString("0.##", CultureInfo.InvariantCulture) ?? "none"}, monthly {budget.MonthlySpendLimit?.ToString("0.##", CultureInfo.InvariantCulture) ?? "none"}")),
            transaction.GetDbTransaction(), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return errors;
    }

    public static OrganisationPolicy ToContract(OrganisationPolicyRecord record) =>
        new(record.TurkeyOnly, record.NoRetention, [.. record.AllowedModels], record.MaxRequestsPerMinute);

    private static string Describe(OrganisationPolicy policy) => string.Join("; ",
        $"residency {(policy.TurkeyOnly ? "Turkey only" : "any")}",
        $"retention {(policy.NoRetention ? "none" : "any")}",
        $"models {(policy.AllowedModels.Count == 0 ? "all" : string.Join(", ", policy.AllowedModels))}",
        $"max rpm {policy.MaxRequestsPerMinute?.ToString(CultureInfo.InvariantCulture) ?? "none"}");
}

/// <summary>A member who left or was removed keeps no usable key in the organisation, on any host.</summary>
internal sealed class MemberRemovedHandler(IApiKeyAdministration keys) : LlmTr.SharedKernel.IEventHandler<OrganisationMemberRemoved>
{
    public Task HandleAsync(OrganisationMemberRemoved removed, CancellationToken cancellationToken) =>
        keys.RevokeMemberAsync(removed.OrganisationId, removed.UserId, removed.ActorUserId, cancellationToken);
}
