using LlmTr.Testing;

namespace LlmTr.IntegrationTests.Catalog;

/// <summary>A host whose database holds the seed catalog (loaded at start, before the snapshot is first read).</summary>
public sealed class CatalogFixture : IAsyncLifetime
{
    public LlmTrHostFactory Host { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var server = await PostgresServer.InstanceAsync();
        Host = new LlmTrHostFactory(await server.CreateMigratedDatabaseAsync(), new Dictionary<string, string?>
        {
            ["Demo:Enabled"] = "true",
            ["Demo:AdminPassword"] = "Demo-Admin-Pass-1",
        });
        _ = Host.Services;
    }

    public async Task DisposeAsync() => await Host.DisposeAsync();
}
