using System.Text.Json;
using FluentValidation;
using FluentValidation.Results;
using LlmTr.Modules.Catalog.Contracts;
using LlmTr.Modules.Catalog.Data;
using LlmTr.SharedKernel;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace LlmTr.Modules.Catalog.Administration;

internal sealed class DeploymentAdministration(
    IDbContextFactory<CatalogDbContext> contexts,
    IValidator<DeploymentInput> deploymentRules,
    IValidator<AccountInput> accountRules,
    IAdminAudit audit,
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
