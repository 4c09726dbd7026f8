using LlmTr.Modules.Docs.Content;
using LlmTr.Modules.Docs.Contracts;
using LlmTr.Testing;

namespace LlmTr.IntegrationTests.Docs;

/// <summary>The docs tests' helpers: every page as theory data, and reading a page that must answer 200.</summary>
internal static class DocsPages
{
    /// <summary>Every page in both languages, as language and slug.</summary>
    public static TheoryData<string, string> All()
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

    public static async Task<string> PageAsync(this LlmTrHostFactory host, string url)
    {
        using var client = host.CreateClient();
        var response = await client.GetAsync(new Uri(url, UriKind.Relative));
        Assert.True(response.IsSuccessStatusCode, $"{url} answered {(int)response.StatusCode}");
        return await response.Content.ReadAsStringAsync();
    }
}
