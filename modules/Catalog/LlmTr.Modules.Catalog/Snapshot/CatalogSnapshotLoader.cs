using LlmTr.Modules.Catalog.Contracts;
using LlmTr.Modules.Catalog.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;

namespace LlmTr.Modules.Catalog.Snapshot;

/// <summary>Reads the whole catalog into an immutable snapshot. The catalog is small (hundreds of rows), so a full read is the simple, correct refresh.</summary>
internal sealed class CatalogSnapshotLoader(IDbContextFactory<CatalogDbContext> contexts, IConfiguration configuration)
{
    public async Task<long> CurrentVersionAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Changes.MaxAsync(c => (long?)c.Id, cancellationToken) ?? 0;
    }

    public async Task<CatalogSnapshot> LoadAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken);
        var version = await db.Changes.MaxAsync(c => (long?)c.Id, cancellationToken) ?? 0;
        var providers = await db.Providers.AsNoTracking().OrderBy(p => p.Id).ToListAsync(cancellationToken);
        var models = await db.Models.AsNoTracking().OrderBy(m => m.Id).ToListAsync(cancellationToken);
        var prices = (await db.Prices.AsNoTracking().OrderBy(p => p.EffectiveFrom).ToListAsync(cancellationToken))
            .ToLookup(p => p.ModelId, StringComparer.Ordinal);
        var deployments = (await db.Deployments.AsNoTracking().OrderBy(d => d.ModelId).ThenBy(d => d.Position).ThenBy(d => d.Name).ToListAsync(cancellationToken))
            .ToLookup(d => d.ModelId, StringComparer.Ordinal);

        var catalogProviders = providers.Select(p => ToContract(p)).ToDictionary(p => p.Id, StringComparer.Ordinal);
        return new CatalogSnapshot(
            version,
            catalogProviders.Values.ToList(),
            models.Select(m =>
            {
                var model = ToContract(m, prices[m.Id]);
                return model with
                {
                    ProviderDisabled = providers.Any(p => p.Id == m.ProviderId && p.Status == ProviderStatus.Disabled),
                    Deployments = catalogProviders.TryGetValue(m.ProviderId, out var provider) ? DeploymentsOf(model, provider, deployments[m.Id]) : [],
                };
            }).ToList());
    }

    /// <summary>
    /// A model's deployments, each filled from its model and provider where it leaves a field empty; a model without any
    /// is served by its provider's default one (named after the provider, with the provider's account). An account's
    /// <c>Providers:{account}:BaseUrl</c> in configuration points its deployments elsewhere, as it does a provider.
    /// </summary>
    private List<CatalogDeployment> DeploymentsOf(CatalogModel model, CatalogProvider provider, IEnumerable<DeploymentRecord> records)
    {
        var list = records.Select(d => new CatalogDeployment(
            model.Id,
            d.Name,
            d.AccountId,
            d.Protocol ?? provider.Protocol,
            configuration[$"Providers:{d.AccountId}:BaseUrl"] is { Length: > 0 } configured ? configured : d.BaseUrl ?? provider.BaseUrl,
            d.UpstreamName ?? model.UpstreamName,
            d.Region,
            d.DataPath.Count > 0 ? d.DataPath.Select(ToHop).ToArray() : model.DataPath,
            d.Weight,
            d.Status,
            d.Protocol is null ? provider.SpeaksResponsesApi : d.SpeaksResponsesApi && d.Protocol is ApiProtocol.OpenAi or ApiProtocol.AzureOpenAi)).ToList();
        return list.Count > 0 ? list : [CatalogDeployment.DefaultOf(model, provider)];
    }

    private static DataPathHop ToHop(HopRecord h) =>
        new(h.Operator, h.Country, h.Region, h.Purpose, h.Retention, h.UsedForTraining, h.Keeps, h.PurposeTr ?? "", h.RetentionTr ?? "");

    /// <summary>
    /// <c>Providers:{id}:BaseUrl</c> in configuration wins over the stored address, so operators, staging and tests can
    /// point a provider elsewhere without touching the catalog. Credentials are never in the catalog at all.
    /// </summary>
    private CatalogProvider ToContract(ProviderRecord p) => new(
        p.Id,
        p.DisplayName,
        p.Protocol,
        configuration[$"Providers:{p.Id}:BaseUrl"] is { Length: > 0 } configured ? configured : p.BaseUrl,
        p.Country,
        p.Region,
        new LocalizedText(p.DataHandlingEn, p.DataHandlingTr),
        p.Status,
        p.SpeaksResponsesApi);

    private static CatalogModel ToContract(ModelRecord m, IEnumerable<PriceRecord> prices) => new(
        m.Id,
        m.ProviderId,
        m.UpstreamName,
        m.DisplayName,
        new LocalizedText(m.DescriptionEn, m.DescriptionTr),
        m.ContextLength,
        m.MaxOutputTokens,
        m.InputModalities.ToArray(),
        m.OutputModalities.ToArray(),
        m.Operations.ToArray(),
        m.Parameters.ToArray(),
        m.Status,
        m.Visibility,
        m.FallbackModelIds.ToArray(),
        m.ReleaseDate,
        m.DataPath.Select(ToHop).ToArray(),
        prices.Select(p => new ModelPrice(p.Unit, Normalized(p.Amount), p.Currency, p.EffectiveFrom, p.Variant)).ToArray());

    /// <summary>2.50000000 (as numeric(18,8) returns it) becomes 2.5: same value, the scale people expect.</summary>
    private static decimal Normalized(decimal amount) => amount / 1.000000000000000000000000000000000m;
}
