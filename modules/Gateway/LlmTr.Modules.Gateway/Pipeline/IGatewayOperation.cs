using LlmTr.Modules.Billing.Contracts;
using LlmTr.Modules.Catalog.Contracts;
using LlmTr.Modules.Gateway.Chat;

namespace LlmTr.Modules.Gateway.Pipeline;

/// <summary>
/// What one /v1 request brings to <see cref="GatewayPipeline"/>: how its body is read, what it asks of a model, what it
/// can cost at most, and how its candidate models serve it. The pipeline does everything every request shares (the
/// key, the usage row, the model and its access, fallbacks, the credit hold, failures and usage at the end). One
/// instance serves one request and is disposed with it.
/// </summary>
internal interface IGatewayOperation : IDisposable
{
    /// <summary>The model id the request named, known once <see cref="ReadAsync"/> has read it ("" before).</summary>
    string Model { get; }

    /// <summary>Reads and checks the request; the error to answer, or null.</summary>
    Task<GatewayError?> ReadAsync(Exchange exchange);

    /// <summary>
    /// The request's routing options (its fallback models, and how the deployments of each model are chosen), known once
    /// <see cref="ReadAsync"/> has read them; <see cref="RouteOptions.None"/> for a request that sets none or cannot.
    /// </summary>
    RouteOptions Route => RouteOptions.None;

    /// <summary>
    /// Prepares the request for the model it named (null when the catalog has no such model), before anything is judged:
    /// a request in another API's format is translated here when the model will be served translated. The error to
    /// answer, or null.
    /// </summary>
    GatewayError? Prepare(CatalogModel? model, CatalogSnapshot snapshot) => null;

    /// <summary>Why this request cannot be served by this model (beyond the key's access, which the pipeline checks), or null.</summary>
    GatewayError? Refusal(CatalogModel model, CatalogSnapshot snapshot);

    /// <summary>The operation costs nothing (a token count): it needs no credit, and no hold is made for it.</summary>
    bool IsFree => false;

    /// <summary>
    /// What this request can consume at most on <paramref name="model"/> at the prices in force at <paramref name="at"/>
    /// (the credit hold), or null when that cannot be known before the provider answers.
    /// </summary>
    UsageCounts? Maximum(CatalogModel model, DateTimeOffset at);

    /// <summary>Serves the request from its candidates (the model, then its usable fallbacks), answering the client.</summary>
    Task ServeAsync(Exchange exchange, IReadOnlyList<CatalogModel> candidates);
}
