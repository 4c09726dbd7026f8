using System.Text.Json;
using FluentValidation;
using FluentValidation.Results;
using LlmTr.Modules.Catalog.Contracts;
using LlmTr.Modules.Catalog.Credentials;
using LlmTr.Modules.Catalog.Data;
using LlmTr.SharedKernel;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Configuration;

namespace LlmTr.Modules.Catalog.Administration;

internal sealed class DeploymentAdministration(
    IDbContextFactory<CatalogDbContext> contexts,
    IValidator<DeploymentInput> deploymentRules,
    IValidator<AccountInput> accountRules,
    IAdminAudit audit,
    CredentialProtection protection,
    IConfiguration configuration,
    TimeProvider time) : IDeploymentAdministration
{
    public async Task<CatalogCommandResult> SaveDeploymentAsync(DeploymentInput input, string actor, CancellationToken cancellationToken = default)
    {
        var validation = await deploymentRules.ValidateAsync(input, cancellationToken);
        if (!validation.IsValid)
        {
            return CatalogCommands.Failed(validation);
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var model = await db.Models.AsNoTracking().SingleOrDefaultAsync(m => m.Id == input.ModelId, cancellationToken);
        if (model is null)
        {
            return CatalogCommands.Failed(nameof(DeploymentInput.ModelId), $"There is no model '{input.ModelId}'.");
        }

        if (!await AccountExistsAsync(db, input.AccountId, cancellationToken))
        {
            return CatalogCommands.Failed(nameof(DeploymentInput.AccountId), $"There is no provider account '{input.AccountId}': add it first (every provider id is one).");
        }

        var protocol = input.Protocol.Length == 0 ? (ApiProtocol?)null : Enum.Parse<ApiProtocol>(input.Protocol, ignoreCase: true);
        var providerProtocol = await db.Providers.Where(p => p.Id == model.ProviderId).Select(p => p.Protocol).SingleAsync(cancellationToken);
        if (protocol is { } own && Family(own) != providerProtocol)
        {
            // The gateway judges what a model can do (token counting, translation) by its provider's protocol.
            return CatalogCommands.Failed(nameof(DeploymentInput.Protocol), $"'{model.ProviderId}' models speak {providerProtocol}: a deployment of one speaks it too"
                + (providerProtocol == ApiProtocol.OpenAi ? " (or Azure OpenAI's)." : "."));
        }

        if (input.Name != model.ProviderId && !await db.Deployments.AnyAsync(d => d.ModelId == input.ModelId, cancellationToken))
        {
            // The model was served from its provider's default deployment, which no row described: keep it beside the new one.
            db.Deployments.Add(new DeploymentRecord
            {
                ModelId = input.ModelId, Name = model.ProviderId, AccountId = model.ProviderId, Weight = CatalogDeployment.DefaultWeight, Status = DeploymentStatus.Active,
            });
        }

        var deployment = await db.Deployments.FindAsync([input.ModelId, input.Name], cancellationToken);
        var action = deployment is null ? "created" : "updated";
        if (deployment is null)
        {
            deployment = new DeploymentRecord { ModelId = input.ModelId, Name = input.Name, AccountId = input.AccountId };
            db.Deployments.Add(deployment);
        }

        deployment.AccountId = input.AccountId;
        deployment.Protocol = protocol;
        deployment.BaseUrl = Blank(input.BaseUrl);
        deployment.UpstreamName = Blank(input.UpstreamName);
        deployment.Region = Blank(input.Region);
        deployment.DataPath = input.DataPath.Select(HopRecords.From).ToList();
        deployment.Weight = input.Weight;
        deployment.Status = Enum.Parse<DeploymentStatus>(input.Status, ignoreCase: true);
        deployment.SpeaksResponsesApi = protocol is not null && input.SpeaksResponsesApi;
        deployment.Position = input.Position;

        var subject = $"deployment:{input.ModelId}@{input.Name}";
        await CatalogCommands.RecordAsync(db, time, actor, subject, action, input, cancellationToken);
        await CatalogCommands.AuditAsync(audit, db, new AdminAction(actor, AdminActions.DeploymentSaved, subject, $"{action}: {input.Status}, weight {input.Weight}"), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return CatalogCommandResult.Ok;
    }

    public async Task<CatalogCommandResult> SaveAccountAsync(AccountInput input, string actor, CancellationToken cancellationToken = default)
    {
        var validation = await accountRules.ValidateAsync(input, cancellationToken);
        if (!validation.IsValid)
        {
            return CatalogCommands.Failed(validation);
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var account = await db.Accounts.FindAsync([input.Id], cancellationToken);
        var action = account is null ? "created" : "updated";
        if (account is null)
        {
            account = new AccountRecord { Id = input.Id, DisplayName = input.DisplayName };
            db.Accounts.Add(account);
        }

        account.DisplayName = input.DisplayName.Trim();
        var subject = $"account:{input.Id}";
        await CatalogCommands.RecordAsync(db, time, actor, subject, action, input, cancellationToken);
        await CatalogCommands.AuditAsync(audit, db, new AdminAction(actor, AdminActions.AccountSaved, subject, $"{action}: {input.DisplayName}"), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return CatalogCommandResult.Ok;
    }

    public async Task<CatalogCommandResult> SetCredentialAsync(string accountId, string credential, string actor, CancellationToken cancellationToken = default)
    {
        var trimmed = (credential ?? "").Trim();
        if (CredentialRules.Problem(trimmed) is { } problem)
        {
            return CatalogCommands.Failed(CredentialRules.Field, problem);
        }

        if (protection.RefusalReason is { } refusal)
        {
            return CatalogCommands.Failed(CredentialRules.Field, refusal);
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var account = await AccountRowAsync(db, accountId, cancellationToken);
        if (account is null)
        {
            return NoSuchAccount(accountId);
        }

        var hint = CredentialRules.Hint(trimmed)!;
        account.ProtectedCredential = protection.Protect(trimmed);
        account.CredentialHint = hint;
        account.CredentialSetAt = time.GetUtcNow();
        account.CredentialSetBy = actor;
        var summary = $"credential set, ends …{hint}";
        await CatalogCommands.RecordAsync(db, time, actor, CredentialSubject(account.Id), "credential set", new { Credential = summary }, cancellationToken);
        await CatalogCommands.AuditAsync(audit, db, new AdminAction(actor, AdminActions.CredentialSet, $"account:{account.Id}", summary), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return CatalogCommandResult.Ok;
    }

    public async Task<CatalogCommandResult> ClearCredentialAsync(string accountId, string actor, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var account = await db.Accounts.FindAsync([accountId ?? ""], cancellationToken);
        if (account is null && !await db.Providers.AnyAsync(p => p.Id == accountId, cancellationToken))
        {
            return NoSuchAccount(accountId);
        }

        if (account?.ProtectedCredential is null)
        {
            return CatalogCommands.Failed(CredentialRules.Field, "This account has no credential stored in the console.");
        }

        account.ProtectedCredential = null;
        account.CredentialHint = null;
        account.CredentialSetAt = null;
        account.CredentialSetBy = null;
        const string summary = "credential cleared";
        await CatalogCommands.RecordAsync(db, time, actor, CredentialSubject(account.Id), summary, new { Credential = summary }, cancellationToken);
        await CatalogCommands.AuditAsync(audit, db, new AdminAction(actor, AdminActions.CredentialCleared, $"account:{account.Id}", summary), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return CatalogCommandResult.Ok;
    }

    public async Task<IReadOnlyList<ProviderAccountView>> AccountsAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var providers = await db.Providers.AsNoTracking().OrderBy(p => p.Id).Select(p => new { p.Id, p.DisplayName }).ToListAsync(cancellationToken);
        var rows = (await db.Accounts.AsNoTracking().ToListAsync(cancellationToken)).ToDictionary(a => a.Id, StringComparer.Ordinal);
        var providerIds = providers.Select(p => p.Id).ToHashSet(StringComparer.Ordinal);
        var ids = providers.Select(p => p.Id).Concat(rows.Keys.Where(id => !providerIds.Contains(id)).Order(StringComparer.Ordinal));
        var names = providers.ToDictionary(p => p.Id, p => p.DisplayName, StringComparer.Ordinal);
        return ids.Select(id =>
        {
            var row = rows.GetValueOrDefault(id);
            var name = row?.DisplayName ?? names[id];
            if (ProviderCredentialStore.Configured(configuration, id) is { } configured)
            {
                return new ProviderAccountView(id, name, providerIds.Contains(id), CredentialSource.Configuration, CredentialRules.Hint(configured), null, null);
            }

            // A stored credential this host cannot decrypt is not in force (the gateway treats it as absent too).
            return row?.ProtectedCredential is { } stored && protection.TryUnprotect(stored) is not null
                ? new ProviderAccountView(id, name, providerIds.Contains(id), CredentialSource.Console, row.CredentialHint, row.CredentialSetAt, row.CredentialSetBy)
                : new ProviderAccountView(id, name, providerIds.Contains(id), CredentialSource.None, null, null, null);
        }).ToList();
    }

    /// <summary>The account's row, made for a provider id that has none yet; null when the id is no account.</summary>
    private static async Task<AccountRecord?> AccountRowAsync(CatalogDbContext db, string accountId, CancellationToken cancellationToken)
    {
        var account = await db.Accounts.FindAsync([accountId ?? ""], cancellationToken);
        if (account is not null)
        {
            return account;
        }

        var provider = await db.Providers.AsNoTracking().SingleOrDefaultAsync(p => p.Id == accountId, cancellationToken);
        if (provider is null)
        {
            return null;
        }

        account = new AccountRecord { Id = provider.Id, DisplayName = provider.DisplayName };
        db.Accounts.Add(account);
        return account;
    }

    private static CatalogCommandResult NoSuchAccount(string? accountId) =>
        CatalogCommands.Failed(nameof(AccountInput.Id), $"There is no provider account '{accountId}': add it first (every provider id is one).");

    /// <summary>Credential changes are a subject of their own, so the history compares them only with each other.</summary>
    private static string CredentialSubject(string accountId) => $"credential:{accountId}";

    /// <summary>An account is a row of its own, or a provider's id (whose default deployments use it).</summary>
    public static async Task<bool> AccountExistsAsync(CatalogDbContext db, string id, CancellationToken cancellationToken) =>
        await db.Accounts.AnyAsync(a => a.Id == id, cancellationToken) || await db.Providers.AnyAsync(p => p.Id == id, cancellationToken);

    private static ApiProtocol Family(ApiProtocol protocol) => protocol == ApiProtocol.AzureOpenAi ? ApiProtocol.OpenAi : protocol;

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}

/// <summary>A data path hop as stored, from the form's or seed's hop.</summary>
internal static class HopRecords
{
    public static HopRecord From(DataPathHop h) => new()
    {
        Operator = h.Operator.Trim(), Country = h.Country, Region = h.Region, Purpose = h.Purpose.Trim(),
        Retention = h.Retention.Trim(), Keeps = h.Keeps, UsedForTraining = h.UsedForTraining,
        PurposeTr = (h.PurposeTr ?? "").Trim(), RetentionTr = (h.RetentionTr ?? "").Trim(),
    };
}
