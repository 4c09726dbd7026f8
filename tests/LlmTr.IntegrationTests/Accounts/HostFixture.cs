using LlmTr.Testing;

namespace LlmTr.IntegrationTests.Accounts;

/// <summary>One host on a database of its own for a test class; each test uses its own accounts.</summary>
public sealed class HostFixture : IAsyncLifetime
{
    public LlmTrHostFactory Host { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var server = await PostgresServer.InstanceAsync();
        Host = new LlmTrHostFactory(await server.CreateMigratedDatabaseAsync());
        _ = Host.Services;
    }

    public async Task DisposeAsync() => await Host.DisposeAsync();

    public static string NewEmail() => $"dev-{Guid.NewGuid():N}@llmtr.test";
}
