using System.Globalization;
using System.Text.Json;
using LlmTr.SharedKernel;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.OpenApi;

namespace LlmTr.Modules.Docs;

/// <summary>
/// The OpenAPI document of the public API at <c>/openapi/v1.json</c>: the /v1 endpoints and the public model list,
/// nothing of the site's own pages, account or admin endpoints.
/// </summary>
internal static class DocsOpenApi
{
    public const string DocumentName = "v1";

    public static IServiceCollection AddPublicApiDocument(this IServiceCollection services) =>
        services.AddOpenApi(DocumentName, options =>
        {
            options.ShouldInclude = description => description.RelativePath is { } path && IsPublicApi(path);

            // The public API's JSON is snake_case throughout (OpenAI's format, and /api/models alike); the document
            // is made with the framework's camelCase defaults, so its property names are put right here.
            options.AddSchemaTransformer((schema, _, _) =>
            {
                SnakeCaseProperties(schema);
                return Task.CompletedTask;
            });
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info = new OpenApiInfo
                {
                    Title = "LLMTR API",
                    Version = "v1",
                    Description = "OpenAI-compatible: point an OpenAI SDK at https://llmtr.com/v1 and send an LLMTR API key as "
                        + "'Authorization: Bearer llmtr-…'. Errors are OpenAI's error object {\"error\":{\"message\",\"type\",\"param\",\"code\"}}.",
                };
                document.Servers = [new OpenApiServer { Url = "https://llmtr.com" }, new OpenApiServer { Url = "http://localhost:5080" }];
                TrimTrailingSlashes(document);
                RequireApiKeyOnV1(document);
                return Task.CompletedTask;
            });
        });

    public static IEndpointRouteBuilder MapPublicApiDocument(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapOpenApi();
        return endpoints;
    }

    internal static bool IsPublicApi(string relativePath) =>
        relativePath.StartsWith("v1/", StringComparison.Ordinal) || relativePath == "api/models";

    /// <summary>Every /v1 operation takes the key as a bearer token, and may answer 401 and 429 (Keys answers those before the endpoint runs).</summary>
    private static void RequireApiKeyOnV1(OpenApiDocument document)
    {
        const string scheme = "ApiKey";
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[scheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            Description = "An LLMTR API key (llmtr-…), created in the dashboard.",
        };
        foreach (var item in document.Paths.Where(p => p.Key.StartsWith("/v1/", StringComparison.Ordinal)).Select(p => p.Value))
        {
            foreach (var operation in item.Operations?.Values.AsEnumerable() ?? [])
            {
                operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(scheme, document)] = [] }];
                operation.Responses ??= [];
                foreach (var error in new[] { ApiErrors.InvalidApiKey, ApiErrors.RateLimitExceeded })
                {
                    operation.Responses.TryAdd(error.Status.ToString(CultureInfo.InvariantCulture), new OpenApiResponse { Description = error.WhenEn });
                }
            }
        }
    }

    private static void SnakeCaseProperties(OpenApiSchema schema)
    {
        if (schema.Properties is not { Count: > 0 } properties)
        {
            return;
        }

        foreach (var (name, property) in properties.ToList())
        {
            properties.Remove(name);
            properties[JsonNamingPolicy.SnakeCaseLower.ConvertName(name)] = property;
        }

        if (schema.Required is { Count: > 0 } required)
        {
            var names = required.ToList();
            required.Clear();
            required.UnionWith(names.Select(JsonNamingPolicy.SnakeCaseLower.ConvertName));
        }
    }

    /// <summary>The model list is mapped as <c>/v1/models/</c> inside its group; it is called, and documented, without the slash.</summary>
    private static void TrimTrailingSlashes(OpenApiDocument document)
    {
        foreach (var path in document.Paths.Keys.Where(p => p.Length > 1 && p.EndsWith('/')).ToList())
        {
            var item = document.Paths[path];
            document.Paths.Remove(path);
            document.Paths[path.TrimEnd('/')] = item;
        }
    }
}
