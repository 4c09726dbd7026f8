using System.Text;
using System.Text.Json;
using LlmTr.Modules.Docs.Rendering;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.OpenApi;

namespace LlmTr.Modules.Docs.Generated;

/// <summary>
/// The API reference page's body, rendered on the server from the same OpenAPI document <c>/openapi/v1.json</c> serves:
/// each operation with its summary, request body fields and responses. Nothing is fetched by the browser.
/// </summary>
internal sealed class ApiReference(IServiceProvider services)
{
    private string? _json;

    /// <summary>The OpenAPI document as JSON (the endpoints do not change while the host runs, so it is made once).</summary>
    public async Task<string> JsonAsync(CancellationToken cancellationToken)
    {
        if (_json is null)
        {
            var provider = services.GetRequiredKeyedService<IOpenApiDocumentProvider>(DocsOpenApi.DocumentName);
            var document = await provider.GetOpenApiDocumentAsync(cancellationToken);
            _json = await document.SerializeAsJsonAsync(OpenApiSpecVersion.OpenApi3_1, cancellationToken);
        }

        return _json;
    }

    public async Task<string> MarkdownAsync(string language, CancellationToken cancellationToken)
    {
        using var document = JsonDocument.Parse(await JsonAsync(cancellationToken));
        var root = document.RootElement;
        var markdown = new StringBuilder();
        foreach (var path in root.GetProperty("paths").EnumerateObject())
        {
            foreach (var operation in path.Value.EnumerateObject())
            {
                markdown.Append("## ").Append(operation.Name.ToUpperInvariant()).Append(' ').Append(MarkdownTable.Escape(path.Name)).Append("\n\n");
                Operation(markdown, root, operation.Value, language);
            }
        }

        return markdown.ToString();
    }

    private static void Operation(StringBuilder markdown, JsonElement root, JsonElement operation, string language)
    {
        foreach (var text in new[] { "summary", "description" })
        {
            if (operation.TryGetProperty(text, out var value) && value.GetString() is { Length: > 0 } words)
            {
                markdown.Append(MarkdownTable.Escape(words)).Append("\n\n");
            }
        }

        if (operation.TryGetProperty("parameters", out var parameters) && parameters.GetArrayLength() > 0)
        {
            markdown.Append("**").Append(Words.In(language, "Parameters", "Parametreler")).Append("**\n\n");
            var table = new MarkdownTable(Words.In(language, "Name", "Ad"), Words.In(language, "In", "Yer"), Words.In(language, "Type", "Tür"));
            foreach (var parameter in parameters.EnumerateArray())
            {
                table.RawRow(MarkdownTable.Code(Text(parameter, "name")), MarkdownTable.Escape(Text(parameter, "in")),
                    MarkdownTable.Escape(parameter.TryGetProperty("schema", out var schema) ? TypeOf(root, schema) : ""));
            }

            markdown.Append(table).Append('\n');
        }

        if (operation.TryGetProperty("requestBody", out var body) && body.TryGetProperty("content", out var bodyContent))
        {
            foreach (var media in bodyContent.EnumerateObject())
            {
                markdown.Append("**").Append(Words.In(language, "Request body", "İstek gövdesi")).Append("** (").Append(MarkdownTable.Code(media.Name)).Append(")\n\n");
                if (media.Value.TryGetProperty("schema", out var schema))
                {
                    Fields(markdown, root, Resolve(root, schema), language);
                }
            }
        }

        markdown.Append("**").Append(Words.In(language, "Responses", "Yanıtlar")).Append("**\n\n");
        var responses = new MarkdownTable(Words.In(language, "Status", "Durum"), Words.In(language, "Content", "İçerik"), Words.In(language, "Body", "Gövde"));
        foreach (var response in operation.GetProperty("responses").EnumerateObject())
        {
            var media = response.Value.TryGetProperty("content", out var content) ? content.EnumerateObject().ToList() : [];
            responses.RawRow(
                response.Name,
                string.Join(", ", media.Select(m => MarkdownTable.Code(m.Name))),
                MarkdownTable.Escape(media.Select(m => m.Value.TryGetProperty("schema", out var s) ? TypeOf(root, s) : "").FirstOrDefault(t => t.Length > 0) ?? ""));
        }

        markdown.Append(responses).Append('\n');
    }

    private static void Fields(StringBuilder markdown, JsonElement root, JsonElement schema, string language)
    {
        if (!schema.TryGetProperty("properties", out var properties))
        {
            return;
        }

        var required = schema.TryGetProperty("required", out var names) ? names.EnumerateArray().Select(n => n.GetString()).ToHashSet() : [];
        var table = new MarkdownTable(Words.In(language, "Field", "Alan"), Words.In(language, "Type", "Tür"), Words.In(language, "Required", "Zorunlu"), Words.In(language, "Description", "Açıklama"));
        foreach (var property in properties.EnumerateObject())
        {
            table.RawRow(
                MarkdownTable.Code(property.Name),
                MarkdownTable.Escape(TypeOf(root, property.Value)),
                required.Contains(property.Name) ? Words.In(language, "yes", "evet") : Words.In(language, "no", "hayır"),
                MarkdownTable.Escape(Text(property.Value, "description")));
        }

        markdown.Append(table).Append('\n');
    }

    /// <summary>A schema's type in words: a named component, <c>array of …</c>, or its JSON type (null left out).</summary>
    private static string TypeOf(JsonElement root, JsonElement schema)
    {
        if (schema.TryGetProperty("$ref", out var reference))
        {
            return reference.GetString()!.Split('/')[^1];
        }

        if (schema.TryGetProperty("items", out var items))
        {
            return "array of " + TypeOf(root, items);
        }

        if (schema.TryGetProperty("type", out var type))
        {
            var types = type.ValueKind == JsonValueKind.Array ? type.EnumerateArray().Select(t => t.GetString()!) : [type.GetString()!];
            return string.Join(" | ", types.Where(t => t != "null"));
        }

        return "any";
    }

    private static JsonElement Resolve(JsonElement root, JsonElement schema) =>
        schema.TryGetProperty("$ref", out var reference)
            ? root.GetProperty("components").GetProperty("schemas").GetProperty(reference.GetString()!.Split('/')[^1])
            : schema;

    private static string Text(JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : "";
}
