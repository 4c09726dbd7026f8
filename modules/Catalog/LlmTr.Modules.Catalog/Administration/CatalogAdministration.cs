using System.Text.Json;
using FluentValidation;
using FluentValidation.Results;
using LlmTr.Modules.Catalog.Contracts;
using LlmTr.Modules.Catalog.Data;
using LlmTr.SharedKernel;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Options;

namespace LlmTr.Modules.Catalog.Administration;

internal sealed class CatalogAdministration(
    IDbContextFactory<CatalogDbContext> contexts,
    IValidator<ProviderInput> providerRules,
    IValidator<ModelInput> modelRules,
    IValidator<PriceInput> priceRules,
    IOptions<CatalogOptions> options,
    IAdminAudit audit,
    TimeProvider time) : ICatalogAdministration
{
    public async Task<CatalogCommandResult> SaveProviderAsync(ProviderInput input, string actor, CancellationToken cancellationToken = default)
    {
        var validation = await providerRules.ValidateAsync(input, cancellationToken);
        if (!validation.IsValid)
        {
            return CatalogCommands.Failed(validation);
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var provider = await db.Providers.FindAsync([input.Id], cancellationToken);
        var action = provider is null ? "created" : "updated";
        if (provider is null)
        {
            provider = new ProviderRecord
            {
                Id = input.Id, DisplayName = input.DisplayName, BaseUrl = input.BaseUrl, Country = input.Country,
                DataHandlingEn = input.DataHandlingEn, DataHandlingTr = input.DataHandlingTr,
            };
            db.Providers.Add(provider);
        }

        provider.DisplayName = input.DisplayName.Trim();
        provider.Protocol = Enum.Parse<ApiProtocol>(input.Protocol, ignoreCase: true);
        provider.BaseUrl = input.BaseUrl.Trim();
        provider.Country = input.Country;
        provider.Region = string.IsNullOrWhiteSpace(input.Region) ? null : input.Region.Trim();
        provider.DataHandlingEn = input.DataHandlingEn.Trim();
        provider.DataHandlingTr = input.DataHandlingTr.Trim();
        provider.Status = Enum.Parse<ProviderStatus>(input.Status, ignoreCase: true);
        provider.SpeaksResponsesApi = input.SpeaksResponsesApi;

        await CatalogCommands.RecordAsync(db, time, actor, $"provider:{input.Id}", action, input, cancellationToken);
        await CatalogCommands.AuditAsync(audit, db, new AdminAction(actor, AdminActions.ProviderSaved, $"provider:{input.Id}", $"{action}: {input.DisplayName}, {input.Status}"), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return CatalogCommandResult.Ok;
    }

    public async Task<CatalogCommandResult> SaveModelAsync(ModelInput input, string actor, CancellationToken cancellationToken = default)
    {
        var validation = await modelRules.ValidateAsync(input, cancellationToken);
        if (!validation.IsValid)
        {
            return CatalogCommands.Failed(validation);
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var providerId = input.Id[..input.Id.IndexOf('/', StringComparison.Ordinal)];
        if (!await db.Providers.AnyAsync(p => p.Id == providerId, cancellationToken))
        {
            return CatalogCommands.Failed(nameof(ModelInput.Id), $"There is no provider '{providerId}': add it first.");
        }

        var unknownFallbacks = input.FallbackModelIds.Except(await db.Models.Select(m => m.Id).ToListAsync(cancellationToken)).ToList();
        if (unknownFallbacks.Count > 0)
        {
            return CatalogCommands.Failed(nameof(ModelInput.FallbackModelIds), $"Unknown fallback models: {string.Join(", ", unknownFallbacks)}.");
        }

        var model = await db.Models.FindAsync([input.Id], cancellationToken);
        var action = model is null ? "created" : "updated";
        if (model is null)
        {
            model = new ModelRecord
            {
                Id = input.Id, ProviderId = providerId, UpstreamName = input.UpstreamName, DisplayName = input.DisplayName,
                DescriptionEn = input.DescriptionEn, DescriptionTr = input.DescriptionTr,
            };
            db.Models.Add(model);
        }

        model.UpstreamName = input.UpstreamName.Trim();
        model.DisplayName = input.DisplayName.Trim();
        model.DescriptionEn = input.DescriptionEn.Trim();
        model.DescriptionTr = input.DescriptionTr.Trim();
        model.ContextLength = input.ContextLength;
        model.MaxOutputTokens = input.MaxOutputTokens;
        model.InputModalities = [.. input.InputModalities.Distinct()];
        model.OutputModalities = [.. input.OutputModalities.Distinct()];
        model.Operations = [.. input.Operations.Distinct()];
        model.Parameters = [.. input.Parameters.Distinct()];
        model.Status = Enum.Parse<ModelStatus>(input.Status, ignoreCase: true);
        model.Visibility = Enum.Parse<ModelVisibility>(input.Visibility, ignoreCase: true);
        model.FallbackModelIds = [.. input.FallbackModelIds.Distinct()];
        model.ReleaseDate = input.ReleaseDate;
        model.DataPath = input.DataPath.Select(HopRecords.From).ToList();

        await CatalogCommands.RecordAsync(db, time, actor, $"model:{input.Id}", action, input, cancellationToken);
        await CatalogCommands.AuditAsync(audit, db, new AdminAction(actor, AdminActions.ModelSaved, $"model:{input.Id}", $"{action}: {input.Status}, {input.Visibility}"), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return CatalogCommandResult.Ok;
    }

    public async Task<CatalogCommandResult> SetPriceAsync(PriceInput input, string actor, CancellationToken cancellationToken = default)
    {
        var validation = await priceRules.ValidateAsync(input, cancellationToken);
        if (!validation.IsValid)
        {
            return CatalogCommands.Failed(validation);
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (!await db.Models.AnyAsync(m => m.Id == input.ModelId, cancellationToken))
        {
            return CatalogCommands.Failed(nameof(PriceInput.ModelId), $"There is no model '{input.ModelId}'.");
        }

        var unit = Enum.Parse<PriceUnit>(input.Unit, ignoreCase: true);
        var effectiveFrom = input.EffectiveFrom.ToUniversalTime();
        var variant = string.IsNullOrWhiteSpace(input.Variant) ? null : input.Variant.Trim();
        if (await db.Prices.AnyAsync(p => p.ModelId == input.ModelId && p.Unit == unit && p.Variant == variant && p.EffectiveFrom == effectiveFrom, cancellationToken))
        {
            return CatalogCommands.Failed(nameof(PriceInput.EffectiveFrom), "This model already has a price for that unit from that moment; choose another time.");
        }

        db.Prices.Add(new PriceRecord
        {
            ModelId = input.ModelId,
            Unit = unit,
            Variant = variant,
            Amount = input.Amount,
            Currency = options.Value.Currency,
            EffectiveFrom = effectiveFrom,
            RecordedAt = time.GetUtcNow(),
        });
        await CatalogCommands.RecordAsync(db, time, actor, $"model:{input.ModelId}", CatalogChangeDiff.PriceSet, input with { Unit = unit.ToString(), EffectiveFrom = effectiveFrom, Variant = variant }, cancellationToken);
        await CatalogCommands.AuditAsync(audit, db, new AdminAction(actor, AdminActions.PriceSet, $"model:{input.ModelId}",
            string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{unit}{(variant is null ? "" : $" ({variant})")} = {input.Amount} from {effectiveFrom:u}")), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return CatalogCommandResult.Ok;
    }

    public async Task<IReadOnlyList<CatalogChangeEntry>> HistoryAsync(int take, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var entries = await db.Changes.AsNoTracking().OrderByDescending(c => c.Id).Take(Math.Clamp(take, 1, 500)).ToListAsync(cancellationToken);
        if (entries.Count == 0)
        {
            return [];
        }

        // Each change's predecessor may be older than the page shown: read the earlier changes of the same subjects too.
        var subjects = entries.Select(c => c.Subject).Distinct().ToList();
        var oldest = entries[^1].Id;
        var earlier = await db.Changes.AsNoTracking().Where(c => c.Id < oldest && subjects.Contains(c.Subject)).ToListAsync(cancellationToken);
        return CatalogChangeDiff.Describe(entries, entries.Concat(earlier));
    }
}

internal sealed class CatalogOptions
{
    public const string Section = "Catalog";

    /// <summary>The one platform currency every price is in (ISO 4217).</summary>
    public string Currency { get; set; } = "USD";
}
