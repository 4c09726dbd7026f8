using LlmTr.Modules.Catalog.Contracts;
using LlmTr.Modules.Keys.Contracts;
using LlmTr.SharedKernel;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Net.Http.Headers;

namespace LlmTr.Modules.Catalog.Api;

internal static class CatalogEndpoints
{
    public static IEndpointRouteBuilder MapModelEndpoints(this IEndpointRouteBuilder endpoints)
    {
        // JSON results carry no response metadata of their own: the OpenAPI document learns the answers' shapes here.
        endpoints.MapGet("/api/models", ListModels)
            .WithName("ListCatalogModels").WithSummary("Every public, active or preview model, with prices, data path and hosting").WithTags("Catalog")
            .Produces<ModelListing>();

        var v1 = endpoints.MapGroup("/v1/models").WithTags("OpenAI-compatible").WithMetadata(ApiKeyRequired.Instance);
        v1.MapGet("/", ListOpenAiModels).WithName("ListModels").WithSummary("Models in OpenAI's list format").Produces<OpenAiModelList>();

        // A model id holds a slash, and SDKs may send it escaped (openai%2Fgpt-4o): take the rest of the path whole.
        v1.MapGet("/{**id}", RetrieveOpenAiModel).WithName("RetrieveModel").WithSummary("One model in OpenAI's format")
            .Produces<OpenAiModel>()
            .Produces<OpenAiErrorResponse>(ApiErrors.ModelNotAllowed.Status)
            .Produces<OpenAiErrorResponse>(ApiErrors.UnknownModel.Status);
        return endpoints;
    }

    internal static Results<JsonHttpResult<ModelListing>, StatusCodeHttpResult, ValidationProblem> ListModels(
        [AsParameters] ModelFilter filter, IModelCatalog catalog, TimeProvider time, HttpContext http)
    {
        var snapshot = catalog.Current;
        var problems = filter.Problems(snapshot);
        if (problems.Count > 0)
        {
            return TypedResults.ValidationProblem(problems, title: "The model filter is not valid.");
        }

        // The snapshot's version is the representation's version: unchanged catalog, unchanged answer.
        var etag = new EntityTagHeaderValue($"\"catalog-{snapshot.Version}\"");
        http.Response.Headers.ETag = etag.ToString();
        http.Response.Headers.CacheControl = "no-cache";
        if (http.Request.GetTypedHeaders().IfNoneMatch.Any(candidate => candidate.Compare(etag, useStrongComparison: false) || candidate == EntityTagHeaderValue.Any))
        {
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        }

        var now = time.GetUtcNow();
        var models = snapshot.Models.Where(m => m.IsListed && filter.Matches(m))
            .Select(m => ModelView.From(m, snapshot.FindProvider(m.ProviderId), now))
            .ToList();
        return TypedResults.Json(new ModelListing("list", models), CatalogJson.Default.ModelListing);
    }

    /// <summary>The models this key may call: listed ones within the organisation's policy and the key's allowed models and residency.</summary>
    internal static JsonHttpResult<OpenAiModelList> ListOpenAiModels(IModelCatalog catalog, HttpContext http)
    {
        var identity = http.Features.Get<ApiKeyIdentity>();
        return TypedResults.Json(
            new OpenAiModelList("list", catalog.Current.Models
                .Where(m => m.IsListed && (identity is null || identity.Permits(m.Id, m.HostedInTurkey, m.RetainsNothing))).Select(OpenAiModel.From).ToList()),
            CatalogJson.Default.OpenAiModelList);
    }

    internal static Results<JsonHttpResult<OpenAiModel>, JsonHttpResult<OpenAiErrorResponse>> RetrieveOpenAiModel(string id, IModelCatalog catalog, HttpContext http)
    {
        var modelId = Uri.UnescapeDataString(id);
        var model = catalog.Current.FindModel(modelId);
        if (model is not { IsListed: true })
        {
            return Error(ApiErrors.UnknownModel, $"The model '{modelId}' does not exist.");
        }

        return http.Features.Get<ApiKeyIdentity>()?.Denial(model.Id, model.HostedInTurkey, model.RetainsNothing) is { } denial
            ? Error(ApiErrors.ModelNotAllowed, denial)
            : TypedResults.Json(OpenAiModel.From(model), CatalogJson.Default.OpenAiModel);
    }

    private static JsonHttpResult<OpenAiErrorResponse> Error(ApiErrorDefinition error, string message) =>
        TypedResults.Json(new OpenAiErrorResponse(error.With(message, "model")), CatalogJson.Default.OpenAiErrorResponse, statusCode: error.Status);
}
