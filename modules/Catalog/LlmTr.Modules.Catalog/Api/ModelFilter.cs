using LlmTr.Modules.Catalog.Contracts;
using Microsoft.AspNetCore.Mvc;

namespace LlmTr.Modules.Catalog.Api;

/// <summary>The /api/models query. Every value is checked: a typo gets a 400 naming it, not a silently empty list.</summary>
internal sealed record ModelFilter(
    [property: FromQuery(Name = "hosted_in")] string? HostedIn,
    [property: FromQuery(Name = "input_modality")] string? InputModality,
    [property: FromQuery(Name = "operation")] string? Operation,
    [property: FromQuery(Name = "provider")] string? Provider)
{
    public Dictionary<string, string[]> Problems(CatalogSnapshot catalog)
    {
        var problems = new Dictionary<string, string[]>();
        if (HostedIn is not null && HostedIn.Length != 2)
        {
            problems["hosted_in"] = ["Use a two-letter country code, for example hosted_in=TR."];
        }

        if (InputModality is not null && !Modalities.Input.Contains(InputModality))
        {
            problems["input_modality"] = [$"Unknown input modality '{InputModality}': use one of {string.Join(", ", Modalities.Input)}."];
        }

        if (Operation is not null && !Operations.All.Contains(Operation))
        {
            problems["operation"] = [$"Unknown operation '{Operation}': use one of {string.Join(", ", Operations.All)}."];
        }

        if (Provider is not null && catalog.FindProvider(Provider) is null)
        {
            problems["provider"] = [$"Unknown provider '{Provider}': use one of {string.Join(", ", catalog.Providers.Select(p => p.Id))}."];
        }

        return problems;
    }

    public bool Matches(CatalogModel model) =>
        (HostedIn is null || model.ActivePaths.All(path => path.Count > 0 && path.All(h => string.Equals(h.Country, HostedIn, StringComparison.OrdinalIgnoreCase))))
        && (InputModality is null || model.InputModalities.Contains(InputModality))
        && (Operation is null || model.Operations.Contains(Operation))
        && (Provider is null || model.ProviderId == Provider);
}
