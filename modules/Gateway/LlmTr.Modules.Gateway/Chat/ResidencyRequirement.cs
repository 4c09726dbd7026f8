using System.Text.Json;
using LlmTr.Modules.Catalog.Contracts;
using LlmTr.SharedKernel;

namespace LlmTr.Modules.Gateway.Chat;

/// <summary>
/// Where a request's data may go, as the request demands it in its <c>llmtr</c> object: <c>"residency": "TR"</c> (every
/// hop of the model's data path in Turkey) and <c>"retention": "none"</c> (no hop keeps the request's content). Checked
/// against the catalog's data path before any upstream call, for the requested model and for each fallback alike.
/// </summary>
internal readonly record struct ResidencyRequirement(bool InTurkey, bool NoRetention)
{
    public const string Field = "llmtr";
    public const string Turkey = DataPathHop.Turkey;
    public const string None = "none";

    public bool IsEmpty => !InTurkey && !NoRetention;

    /// <summary>The requirement of a request's <c>llmtr</c> object (already validated).</summary>
    public static ResidencyRequirement Of(JsonElement root) =>
        root.TryGetProperty(Field, out var options) && options.ValueKind == JsonValueKind.Object
            ? new ResidencyRequirement(
                options.TryGetProperty("residency", out var residency) && residency.ValueKind == JsonValueKind.String,
                options.TryGetProperty("retention", out var retention) && retention.ValueKind == JsonValueKind.String)
            : default;

    private const string Options = "The options are 'residency', 'retention', 'models' and 'provider'.";

    /// <summary>Why the <c>llmtr</c> object is invalid (its routing options checked by <see cref="RouteOptions"/>), or null.</summary>
    public static GatewayError? Problem(JsonElement options)
    {
        foreach (var option in options.EnumerateObject())
        {
            var problem = option.Name switch
            {
                "residency" => option.Value.ValueKind == JsonValueKind.String && string.Equals(option.Value.GetString(), Turkey, StringComparison.OrdinalIgnoreCase)
                    ? null
                    : GatewayError.Invalid($"'llmtr.residency' must be \"{Turkey}\" (every hop of the model's data path in Turkey).", "llmtr.residency"),
                "retention" => option.Value.ValueKind == JsonValueKind.String && string.Equals(option.Value.GetString(), None, StringComparison.OrdinalIgnoreCase)
                    ? null
                    : GatewayError.Invalid($"'llmtr.retention' must be \"{None}\" (no hop of the model's data path keeps the request's content).", "llmtr.retention"),
                _ when RouteOptions.IsOption(option.Name) => RouteOptions.Problem(option),
                _ => RouteOptions.Shown(option.Name) is { } shown
                    ? GatewayError.Invalid($"'llmtr.{shown}' is not an LLMTR option. {Options}", $"llmtr.{shown}")
                    : GatewayError.Invalid($"'llmtr' has a key that is not an LLMTR option. {Options}", Field),
            };
            if (problem is not null)
            {
                return problem;
            }
        }

        return null;
    }

    /// <summary>Why <paramref name="model"/> does not satisfy this requirement (naming its data path), or null.</summary>
    public GatewayError? Denial(CatalogModel model)
    {
        if (InTurkey && !model.HostedInTurkey)
        {
            return GatewayError.Of(ApiErrors.ResidencyNotSatisfied,
                $"The request requires residency 'TR' (llmtr.residency), but '{model.Id}' processes data outside Turkey. Its data path: {Path(model)}. "
                + "Use a model hosted in Turkey (GET /api/models?hosted_in=TR), or drop the requirement.", "model");
        }

        if (NoRetention && !model.RetainsNothing)
        {
            var why = model.DataPath.FirstOrDefault(hop => !hop.RetainsNothing) is { } keeper
                ? $"{keeper.Operator} ({keeper.Country}) keeps request content: \"{keeper.Retention}\""
                : "its data path is not published, so nothing shows that no stop keeps request content";
            return GatewayError.Of(ApiErrors.ResidencyNotSatisfied,
                $"The request requires retention 'none' (llmtr.retention), but on '{model.Id}' {why}. Its data path: {Path(model)}.", "model");
        }

        return null;
    }

    private static string Path(CatalogModel model) =>
        model.DataPath.Count == 0 ? "not published" : string.Join(" → ", model.DataPath.Select(hop => $"{hop.Operator} ({hop.Country})"));
}
