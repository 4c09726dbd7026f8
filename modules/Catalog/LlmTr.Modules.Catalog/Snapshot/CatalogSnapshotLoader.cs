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

        return new CatalogSnapshot(
            version,
            providers.Select(p => ToContract(p)).ToList(),
            models.Select(m => ToContract(m, prices[m.Id]) with
            {
                ProviderDisabled = providers.Any(p => p.Id == m.ProviderId && p.Status == ProviderStatus.Disabled),
            }).ToList());
    }

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
        m.DataPath.Select(h => new DataPathHop(h.Operator, h.Country, h.Region, h.Purpose, h.Retention, h.UsedForTraining, h.Keeps, h.PurposeTr ?? "", h.RetentionTr ?? "")).ToArray(),
        prices.Select(p => new ModelPrice(p.Unit, Normalized(p.Amount), p.Currency, p.EffectiveFrom, p.Variant)).ToArray());

    /// <summary>2.50000000 (as numeric(18,8) returns it) becomes 2.5: same value, the scale people expect.</summary>
    private static decimal Normalized(decimal amount) => amount / 1.000000000000000000000000000000000m;
}
