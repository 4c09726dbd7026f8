using System.Text.Json.Serialization;
using LlmTr.Modules.Docs.Content;
using LlmTr.Modules.Docs.Contracts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace LlmTr.Modules.Docs.Search;

/// <summary>
/// GET /api/docs/search-index/{language}: every page of one language as title, headings and plain text. The search
/// box (docs.js) loads it once and searches in the browser: no request per keystroke.
/// </summary>
internal static class SearchIndexEndpoint
{
    public static IEndpointRouteBuilder MapSearchIndex(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(DocsPaths.SearchIndexRoot + "/{language}", GetAsync)
            .WithName("DocsSearchIndex").WithSummary("The documentation's search index in one language").WithTags("Docs");
        return endpoints;
    }

    internal static async Task<Results<JsonHttpResult<SearchEntry[]>, NotFound>> GetAsync(string language, DocsLibrary library, HttpContext http)
    {
        if (!DocsPaths.Languages.Contains(language))
        {
            return TypedResults.NotFound();
        }

        var pages = await library.AllAsync(language, http.RequestAborted);
        http.Response.Headers.CacheControl = "public, max-age=300";
        return TypedResults.Json(
            pages.Select(p => new SearchEntry(p.Page.Link.Url, p.Page.Link.Title, p.Page.Headings.Select(h => new SearchHeading(h.Id, h.Text)).ToArray(), p.Text)).ToArray(),
            DocsJson.Default.SearchEntryArray);
    }
}

internal sealed record SearchEntry(string Url, string Title, SearchHeading[] Headings, string Text);

internal sealed record SearchHeading(string Id, string Text);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(SearchEntry[]))]
internal sealed partial class DocsJson : JsonSerializerContext;
