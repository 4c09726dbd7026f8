using LlmTr.Modules.Billing.Contracts;
using LlmTr.Modules.Catalog.Contracts;

namespace LlmTr.Web.Pages.Admin.Health;

/// <summary>One line of the health page: a deployment's figures in the window, zero for one the catalog has that had no traffic.</summary>
/// <param name="InCatalog">False for a deployment that served in the window and is no longer in the catalog (removed or renamed).</param>
internal sealed record HealthLine(
    string ModelId, string Deployment, long Requests, long Errors, TimeSpan? UpstreamP50, TimeSpan? UpstreamP99, string? LastError,
    DateTimeOffset? LastErrorAt, bool InCatalog)
{
    public double ErrorRate => Requests == 0 ? 0 : (double)Errors / Requests;

    /// <summary>Every deployment of every catalog model, with its figures where it had traffic, and those with traffic the catalog no longer has; by model, then deployment.</summary>
    public static IReadOnlyList<HealthLine> Of(CatalogSnapshot catalog, IReadOnlyList<DeploymentHealthRow> statistics)
    {
        var served = statistics.ToDictionary(r => (r.ModelId, r.Deployment));
        var lines = new List<HealthLine>(statistics.Count);
        foreach (var model in catalog.Models)
        {
            foreach (var deployment in model.Deployments)
            {
                lines.Add(served.Remove((model.Id, deployment.Name), out var row) ? From(row, inCatalog: true)
                    : new HealthLine(model.Id, deployment.Name, 0, 0, null, null, null, null, InCatalog: true));
            }
        }

        lines.AddRange(served.Values.Select(row => From(row, inCatalog: false)));
        lines.Sort((a, b) => string.CompareOrdinal(a.ModelId, b.ModelId) is var byModel && byModel != 0 ? byModel : string.CompareOrdinal(a.Deployment, b.Deployment));
        return lines;
    }

    private static HealthLine From(DeploymentHealthRow row, bool inCatalog) =>
        new(row.ModelId, row.Deployment, row.Requests, row.Errors, row.UpstreamP50, row.UpstreamP99, row.LastError, row.LastErrorAt, inCatalog);
}
