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
internal sealed class SeedCatalog(ICatalogAdministration catalog, IDbContextFactory<CatalogDbContext> contexts) : IDemoData
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
    }

    private static void Ensure(CatalogCommandResult result, string what)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException(
                $"Seed entry '{what}' is invalid: {string.Join(" ", result.Errors.SelectMany(e => e.Value.Select(v => $"{e.Key}: {v}")))}");
        }
    }
}
