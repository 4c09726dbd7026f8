using LlmTr.Modules.Docs.Content;
using LlmTr.Modules.Docs.Contracts;
using LlmTr.Testing;

namespace LlmTr.IntegrationTests.Docs;

/// <summary>A host with the seed catalog (so the model table has rows), and a plain HTTP client for the pages.</summary>
public sealed class DocsFixture : IAsyncLifetime
{
    public LlmTrHostFactory Host { get; private set; } = null!;

    /// <summary>Every page address in both languages, with its language and slug.</summary>
    public static TheoryData<string, string> Pages()
    {
        var pages = new TheoryData<string, string>();
        foreach (var language in DocsPaths.Languages)
        {
            foreach (var slug in DocsContent.Slugs)
            {
                pages.Add(language, slug);
            }
        }

        return pages;
    }

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

    public async Task<string> PageAsync(string url)
    {
        using var client = Host.CreateClient();
        var response = await client.GetAsync(new Uri(url, UriKind.Relative));
        Assert.True(response.IsSuccessStatusCode, $"{url} answered {(int)response.StatusCode}");
        return await response.Content.ReadAsStringAsync();
    }

    public async Task DisposeAsync() => await Host.DisposeAsync();
}
