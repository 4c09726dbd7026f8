using LlmTr.SharedKernel;

namespace LlmTr.Modules.Catalog.Contracts;

/// <summary>
/// The catalog as an immutable in-memory snapshot: resolving a model costs no database call. Every host replaces its
/// snapshot within seconds of a change made on any host.
/// </summary>
public interface IModelCatalog
{
    CatalogSnapshot Current { get; }
}

public sealed class CatalogSnapshot(long version, IReadOnlyList<CatalogProvider> providers, IReadOnlyList<CatalogModel> models)
{
    private readonly Dictionary<string, CatalogProvider> _providers = providers.ToDictionary(p => p.Id, StringComparer.Ordinal);
    private readonly Dictionary<string, CatalogModel> _models = models.ToDictionary(m => m.Id, StringComparer.Ordinal);

    public static CatalogSnapshot Empty { get; } = new(0, [], []);

    /// <summary>Grows with every change; equal versions mean equal contents.</summary>
    public long Version { get; } = version;

    public IReadOnlyList<CatalogProvider> Providers { get; } = providers;

    public IReadOnlyList<CatalogModel> Models { get; } = models;

    public CatalogModel? FindModel(string id) => _models.GetValueOrDefault(id);

    public CatalogProvider? FindProvider(string id) => _providers.GetValueOrDefault(id);
}

/// <summary>Published in-process when this host has loaded a new catalog snapshot.</summary>
public sealed record CatalogChanged(long Version) : IIntegrationEvent;
