using LlmTr.Modules.Catalog.Contracts;
using LlmTr.Modules.Catalog.Data;
using LlmTr.SharedKernel;
using Microsoft.EntityFrameworkCore;

namespace LlmTr.Modules.Catalog.Seed;

/// <summary>
/// A realistic starting catalog: the models the product docs name, xAI and Qwen models, LLMTR's Turkey-hosted models
/// and the built-in demo model. It goes through the same validated path as an admin's edits; existing entries are kept,
/// except those <see cref="SeedData.Revisions"/> names while they still stand as an earlier seed wrote them.
/// </summary>
internal sealed class SeedCatalog(ICatalogAdministration catalog, IDeploymentAdministration deployments, IDbContextFactory<CatalogDbContext> contexts) : IDemoData
{
    public const string Actor = "seed";

    public async Task LoadAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var providers = await db.Providers.Select(p => p.Id).ToHashSetAsync(cancellationToken);
        var models = await db.Models.Select(m => m.Id).ToHashSetAsync(cancellationToken);

        foreach (var provider in SeedData.Providers.Where(p => !providers.Contains(p.Id)))
        {
            Ensure(await catalog.SaveProviderAsync(provider, Actor, cancellationToken), provider.Id);
        }

        foreach (var (model, prices) in SeedData.Models.Where(m => !models.Contains(m.Model.Id)))
        {
            Ensure(await catalog.SaveModelAsync(model, Actor, cancellationToken), model.Id);
            foreach (var (unit, amount) in prices)
            {
                Ensure(await catalog.SetPriceAsync(new PriceInput(model.Id, unit.ToString(), amount, SeedData.PricesFrom), Actor, cancellationToken), model.Id);
            }
        }

        // An entry an earlier seed wrote, still exactly as that seed left it, takes the current seed's version (its
        // status, visibility and fallbacks stay as they are). An entry an admin has changed is left alone.
        foreach (var (id, earlier) in SeedData.Revisions)
        {
            var record = await db.Models.AsNoTracking().SingleOrDefaultAsync(m => m.Id == id, cancellationToken);
            if (record is not null && earlier(record))
            {
                var current = SeedData.Models.Single(m => m.Model.Id == id).Model;
                Ensure(await catalog.SaveModelAsync(
                    current with { Status = record.Status.ToString(), Visibility = record.Visibility.ToString(), FallbackModelIds = record.FallbackModelIds },
                    Actor, cancellationToken), id);
            }
        }

        await AddTurkishTextAsync(db, cancellationToken);
        await RevisePricesAsync(db, cancellationToken);
        await AddDeploymentsAsync(db, cancellationToken);
        await AddFallbacksAsync(db, cancellationToken);
    }

    /// <summary>
    /// The seed's fallbacks, once all models exist (a fallback must), for the seeded models that have none and that no
    /// one but the seed has changed: an admin's choice, an empty list included, is kept.
    /// </summary>
    private async Task AddFallbacksAsync(CatalogDbContext db, CancellationToken cancellationToken)
    {
        foreach (var (id, fallbacks) in SeedData.Fallbacks)
        {
            var record = await db.Models.AsNoTracking().SingleOrDefaultAsync(m => m.Id == id, cancellationToken);
            var lastActor = await db.Changes.Where(c => c.Subject == $"model:{id}").OrderByDescending(c => c.Id).Select(c => c.Actor).FirstOrDefaultAsync(cancellationToken);
            var present = await db.Models.CountAsync(m => fallbacks.Contains(m.Id), cancellationToken);
            if (record is null || record.FallbackModelIds.Count > 0 || lastActor != Actor || present != fallbacks.Length)
            {
                continue;
            }

            var seeded = SeedData.Models.Single(m => m.Model.Id == id).Model;
            Ensure(await catalog.SaveModelAsync(
                seeded with { Status = record.Status.ToString(), Visibility = record.Visibility.ToString(), FallbackModelIds = fallbacks, DataPath = record.DataPath.Select(ToHop).ToList() },
                Actor, cancellationToken), id);
        }
    }

    /// <summary>
    /// The seed's accounts, and its deployments for the seeded models that have none yet: a model an admin has given
    /// deployments keeps exactly those.
    /// </summary>
    private async Task AddDeploymentsAsync(CatalogDbContext db, CancellationToken cancellationToken)
    {
        foreach (var account in SeedData.Accounts)
        {
            if (!await db.Accounts.AnyAsync(a => a.Id == account.Id, cancellationToken))
            {
                Ensure(await deployments.SaveAccountAsync(account, Actor, cancellationToken), account.Id);
            }
        }

        foreach (var group in SeedData.Deployments.GroupBy(d => d.ModelId))
        {
            if (await db.Models.AnyAsync(m => m.Id == group.Key, cancellationToken) && !await db.Deployments.AnyAsync(d => d.ModelId == group.Key, cancellationToken))
            {
                foreach (var deployment in group)
                {
                    Ensure(await deployments.SaveDeploymentAsync(deployment, Actor, cancellationToken), $"{deployment.ModelId}@{deployment.Name}");
                }
            }
        }
    }

    /// <summary>
    /// The seed's second price list, from its own date, for models whose prices are all the seed's (every price row
    /// takes effect on one of the seed's dates): a price an admin set is never overridden. Prices already there are
    /// skipped, so loading again changes nothing.
    /// </summary>
    private async Task RevisePricesAsync(CatalogDbContext db, CancellationToken cancellationToken)
    {
        foreach (var (modelId, prices) in SeedData.PriceRevision)
        {
            var stored = await db.Prices.AsNoTracking().Where(p => p.ModelId == modelId).ToListAsync(cancellationToken);
            if (stored.Count == 0 || stored.Any(p => p.EffectiveFrom != SeedData.PricesFrom && p.EffectiveFrom != SeedData.PricesRevised))
            {
                continue;
            }

            foreach (var (unit, amount, variant) in prices)
            {
                if (!stored.Any(p => p.Unit == unit && p.Variant == variant && p.EffectiveFrom == SeedData.PricesRevised))
                {
                    Ensure(await catalog.SetPriceAsync(new PriceInput(modelId, unit.ToString(), amount, SeedData.PricesRevised, variant), Actor, cancellationToken), modelId);
                }
            }
        }
    }

    /// <summary>
    /// Data paths an earlier seed wrote before hops had Turkish text get the seed's Turkish text, hop by hop, where the
    /// stored hop still says in English exactly what the seed says and has no Turkish text of its own. The rest of the
    /// entry stays as it is, and the change is recorded like any other.
    /// </summary>
    private async Task AddTurkishTextAsync(CatalogDbContext db, CancellationToken cancellationToken)
    {
        foreach (var (seed, _) in SeedData.Models)
        {
            var record = await db.Models.AsNoTracking().SingleOrDefaultAsync(m => m.Id == seed.Id, cancellationToken);
            if (record is null || record.DataPath.Count != seed.DataPath.Count)
            {
                continue;
            }

            var path = record.DataPath.Select((stored, i) => Translated(stored, seed.DataPath[i])).ToList();
            if (path.SequenceEqual(record.DataPath.Select(ToHop)))
            {
                continue;
            }

            Ensure(await catalog.SaveModelAsync(new ModelInput(
                record.Id, record.UpstreamName, record.DisplayName, record.DescriptionEn, record.DescriptionTr, record.ContextLength, record.MaxOutputTokens,
                record.InputModalities, record.OutputModalities, record.Operations, record.Parameters, record.Status.ToString(), record.Visibility.ToString(),
                record.FallbackModelIds, record.ReleaseDate, path), Actor, cancellationToken), record.Id);
        }
    }

    private static DataPathHop Translated(HopRecord stored, DataPathHop seed)
    {
        var hop = ToHop(stored);
        if (!string.Equals(stored.Operator, seed.Operator, StringComparison.Ordinal))
        {
            return hop;
        }

        if (hop.PurposeTr.Length == 0 && string.Equals(stored.Purpose, seed.Purpose, StringComparison.Ordinal))
        {
            hop = hop with { PurposeTr = seed.PurposeTr };
        }

        if (hop.RetentionTr.Length == 0 && string.Equals(stored.Retention, seed.Retention, StringComparison.Ordinal))
        {
            hop = hop with { RetentionTr = seed.RetentionTr };
        }

        return hop;
    }

    private static DataPathHop ToHop(HopRecord h) =>
        new(h.Operator, h.Country, h.Region, h.Purpose, h.Retention, h.UsedForTraining, h.Keeps, h.PurposeTr ?? "", h.RetentionTr ?? "");

    private static void Ensure(CatalogCommandResult result, string what)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException(
                $"Seed entry '{what}' is invalid: {string.Join(" ", result.Errors.SelectMany(e => e.Value.Select(v => $"{e.Key}: {v}")))}");
        }
    }
}
