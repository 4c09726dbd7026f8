using LlmTr.Modules.Catalog.Contracts;
using LlmTr.SharedKernel;
using Microsoft.Extensions.DependencyInjection;

namespace LlmTr.Modules.Catalog.Snapshot;

/// <summary>Holds this host's current snapshot; readers never wait and never see a half-built catalog.</summary>
internal sealed class CatalogSnapshotStore(CatalogSnapshotLoader loader, IServiceScopeFactory scopes) : IModelCatalog, IDisposable
{
    private readonly SemaphoreSlim _reloading = new(1, 1);
    private volatile CatalogSnapshot _current = CatalogSnapshot.Empty;

    public CatalogSnapshot Current => _current;

    /// <summary>Loads the catalog again when its version moved; concurrent requests share one reload.</summary>
    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        await _reloading.WaitAsync(cancellationToken);
        try
        {
            if (await loader.CurrentVersionAsync(cancellationToken) == _current.Version && _current != CatalogSnapshot.Empty)
            {
                return;
            }

            _current = await loader.LoadAsync(cancellationToken);
        }
        finally
        {
            _reloading.Release();
        }

        await using var scope = scopes.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<IEventPublisher>().PublishAsync(new CatalogChanged(_current.Version), cancellationToken);
    }

    public void Dispose() => _reloading.Dispose();
}
