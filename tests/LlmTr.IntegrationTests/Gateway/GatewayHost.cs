using System.ClientModel;
using System.ClientModel.Primitives;
using LlmTr.Modules.Billing.Contracts;
using LlmTr.Modules.Catalog.Contracts;
using LlmTr.Modules.Keys.Contracts;
using LlmTr.Testing;
using LlmTr.Testing.Upstreams;
using Microsoft.Extensions.DependencyInjection;
using OpenAI;
using OpenAI.Chat;

namespace LlmTr.IntegrationTests.Gateway;

/// <summary>
/// The host with the seed catalog, the given providers pointed at local fakes with credentials from configuration,
/// and usage written quickly so tests can read the ledger.
/// </summary>
public sealed class GatewayHost : IAsyncDisposable
{
    private GatewayHost(LlmTrHostFactory host) => Host = host;

    public LlmTrHostFactory Host { get; }

    public CatalogSnapshot Catalog => Host.Services.GetRequiredService<IModelCatalog>().Current;

    /// <param name="providers">Provider id → the fake serving it, with the path prefix its base URL has (<c>/v1</c> for OpenAI-compatible).</param>
    /// <param name="connectionString">The database to use (a migrated one); by default a new database of its own.</param>
    /// <param name="kestrel">Serve on real Kestrel (HTTP framing, body size limits) rather than the in-memory test server; see <see cref="Address"/>.</param>
    public static async Task<GatewayHost> StartAsync(
        IEnumerable<(string ProviderId, FakeUpstream Upstream, string BasePath)> providers,
        Dictionary<string, string?>? settings = null,
        Action<IServiceCollection>? services = null,
        string? connectionString = null,
        bool kestrel = false)
    {
        var all = new Dictionary<string, string?>
        {
            ["Demo:Enabled"] = "true",
            ["Demo:AdminPassword"] = "Demo-Admin-Pass-1",
            ["Billing:UsageFlushInterval"] = "00:00:00.020",
        };
        foreach (var (id, upstream, basePath) in providers)
        {
            all[$"Providers:{id}:BaseUrl"] = new Uri(upstream.BaseAddress, basePath).ToString();
            all[$"Providers:{id}:ApiKey"] = UpstreamKey(id);
        }

        foreach (var (key, value) in settings ?? [])
        {
            all[key] = value;
        }

        connectionString ??= await (await PostgresServer.InstanceAsync()).CreateMigratedDatabaseAsync();
        var host = new LlmTrHostFactory(connectionString, all, services);
        if (kestrel)
        {
            return new GatewayHost(host) { Address = host.StartOnKestrel() };
        }

        _ = host.Services;
        return new GatewayHost(host);
    }

    /// <summary>Where the host listens when it was started on Kestrel; null on the in-memory test server.</summary>
    public Uri? Address { get; private init; }

    /// <summary>The credential configured for a provider: tests check it reached the provider and nothing else.</summary>
    public static string UpstreamKey(string providerId) => $"sk-{providerId}-upstream-secret-0123456789";

    /// <summary>A new user with credit and a key (with these settings).</summary>
    public async Task<(string UserId, CreatedApiKey Key)> FundedKeyAsync(decimal credit = 100m, NewApiKey? key = null)
    {
        var (userId, created) = await TestAccounts.CreateKeyAsync(Host, key);
        if (credit != 0)
        {
            var result = await Host.Services.GetRequiredService<IBillingAdministration>().AdjustAsync(userId, credit, "test credit", "tests");
            Assert.True(result.Succeeded, string.Join(" ", result.Errors.SelectMany(e => e.Value)));
        }

        return (userId, created);
    }

    /// <summary>The official OpenAI SDK's chat client, pointed at this host's /v1 with the given key.</summary>
    public ChatClient Chat(string rawKey, string model) =>
        new(model, new ApiKeyCredential(rawKey), new OpenAIClientOptions
        {
            Endpoint = new Uri(Host.Server.BaseAddress, "/v1"),
            Transport = new HttpClientPipelineTransport(Host.CreateClient()),
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
        });

    /// <summary>
    /// Takes the catalog fallbacks off these models (all the seeded ones by default), for tests of one provider's own
    /// answers and faults, which a fallback to another provider would hide.
    /// </summary>
    public async Task WithoutFallbacksAsync(params string[] modelIds)
    {
        var admin = Host.Services.GetRequiredService<ICatalogAdministration>();
        foreach (var model in Catalog.Models.Where(m => m.FallbackModelIds.Count > 0 && (modelIds.Length == 0 || modelIds.Contains(m.Id))))
        {
            var result = await admin.SaveModelAsync(new ModelInput(
                model.Id, model.UpstreamName, model.DisplayName, model.Description.En, model.Description.Tr, model.ContextLength, model.MaxOutputTokens,
                model.InputModalities, model.OutputModalities, model.Operations, model.Parameters, model.Status.ToString(), model.Visibility.ToString(),
                [], model.ReleaseDate, model.DataPath), "tests");
            Assert.True(result.Succeeded, string.Join(" ", result.Errors.SelectMany(e => e.Value)));
        }

        await Poll.UntilAsync(() => Task.FromResult(Catalog.Models.All(m => m.FallbackModelIds.Count == 0 || (modelIds.Length > 0 && !modelIds.Contains(m.Id)))),
            "the fallbacks to leave the catalog");
    }

    public ValueTask DisposeAsync() => Host.DisposeAsync();
}
