using LlmTr.Modules.Billing.Contracts;
using LlmTr.Modules.Catalog.Contracts;
using LlmTr.Modules.Gateway.Chat;
using LlmTr.Modules.Gateway.Demo;
using LlmTr.Modules.Gateway.Upstream;
using LlmTr.Modules.Keys.Contracts;
using LlmTr.SharedKernel;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace LlmTr.Modules.Gateway.Pipeline;

/// <summary>
/// The one request pipeline of every /v1 endpoint that calls a model (chat completions, messages and their token
/// count, responses, embeddings, images, speech, transcriptions) and of the playground: the key's identity; a reserved
/// usage row; the request read and checked; the model from the in-memory catalog, its access for the key and what the
/// request needs of it; the candidates (the model, then its fallbacks that can serve the request); the credit hold; the
/// operation's own serving; and at the end, whatever happened, the usage handed to Billing, the hold released and the metrics counted. No
/// database call anywhere on this path. Endpoints differ only in their <see cref="IGatewayOperation"/>.
/// </summary>
internal sealed partial class GatewayPipeline(
    IModelCatalog catalog, Admission admission, DeploymentRouter router, GatewayMetrics metrics, TimeProvider time, ILogger<GatewayPipeline> logger)
{
    /// <param name="answer">Where the answer goes.</param>
    /// <param name="identity">The key the request authenticated with (null only on a misconfigured route: a fault).</param>
    /// <param name="requestId">The id the request was given on arrival, or null to make one.</param>
    /// <param name="operation">What the endpoint brings.</param>
    /// <param name="format">The client's API when it is not OpenAI's chat completions; null otherwise.</param>
    public async Task RunAsync(AnswerTarget answer, ApiKeyIdentity? identity, string? requestId, IGatewayOperation operation, AnswerFormat? format = null)
    {
        using var exchange = new Exchange(answer, requestId is { } id && id.StartsWith("req_", StringComparison.Ordinal) ? id : null, time, format);
        try
        {
            await RunAsync(exchange, identity ?? throw new InvalidOperationException("/v1 requires an authenticated key."), operation);
        }
        catch (OperationCanceledException) when (answer.Aborted.IsCancellationRequested)
        {
            exchange.Outcome = UsageOutcome.Cancelled;
        }
        catch (BadHttpRequestException) when (!answer.HasStarted && answer.Aborted.IsCancellationRequested)
        {
            // The client went away before its body arrived: nothing to answer, nothing consumed.
            exchange.Outcome = UsageOutcome.Cancelled;
        }
        catch (BadHttpRequestException e) when (!answer.HasStarted)
        {
            // The body broke HTTP framing (a malformed chunk): nothing was consumed, and the client hears why.
            await exchange.FailAsync(ApiAnswers.Unreadable(e.StatusCode));
        }
        catch (Exception e) when (e is not OperationCanceledException || !answer.Aborted.IsCancellationRequested)
        {
            LogGatewayFault(logger, e, exchange.RequestId);
            exchange.Outcome = UsageOutcome.Failed;
            await exchange.FailAsync(GatewayError.Internal(exchange.RequestId));
        }
        finally
        {
            // Every finished request from a known key is reported, failed and cancelled ones included, with whatever
            // it produced: a cancelled stream is billed for the text that was generated before the client left.
            admission.Finish(exchange);
            metrics.Finished(exchange.Billable?.Model.Id ?? "unknown", answer.StatusCode, exchange.Outcome.ToString(),
                exchange.Elapsed, exchange.UpstreamTime, exchange.CalledUpstream);
            operation.Dispose();
        }
    }

    private async Task RunAsync(Exchange exchange, ApiKeyIdentity identity, IGatewayOperation operation)
    {
        if (!await admission.AdmitAsync(exchange, identity))
        {
            return;
        }

        var invalid = await operation.ReadAsync(exchange);
        exchange.RequestedModel = operation.Model;
        if (invalid is not null)
        {
            await exchange.FailAsync(invalid);
            return;
        }

        var snapshot = catalog.Current;
        var model = snapshot.FindModel(operation.Model);
        if ((operation.Prepare(model, snapshot) ?? (model is null ? ModelAccess.NotFound(operation.Model) : null)) is { } refusal)
        {
            await exchange.FailAsync(refusal);
            return;
        }

        exchange.SetModel(model!);
        var route = operation.Route;
        var candidates = new List<CatalogModel>(model!.Deployments.Count + model.FallbackModelIds.Count + route.Models.Length);
        bool Accepts(CatalogModel served) => Refusal(served, identity, operation, snapshot) is null;
        if (router.AddRoutes(model, Accepts, candidates, route) == 0 && Refusal(model, identity, operation, snapshot) is { } refused)
        {
            // Refused as the catalog publishes it: its name, its access, its default data path.
            await exchange.FailAsync(refused);
            return;
        }

        if (AddRequestedModels(route, Accepts, snapshot, candidates) is { } unknown)
        {
            await exchange.FailAsync(unknown);
            return;
        }

        if (route.AllowFallbacks)
        {
            AddFallbacks(model, Accepts, route, snapshot, candidates);
        }

        if (candidates.Count == 0)
        {
            await exchange.FailAsync(NoDeployment(model, route));
            return;
        }

        if (route.Sort != RouteSort.None)
        {
            router.Sort(candidates, route, time.GetUtcNow());
        }
        if (!operation.IsFree && !await admission.ReserveCreditAsync(exchange, identity, candidates, operation, static (o, m, at) => o.Maximum(m, at)))
        {
            return;
        }

        await operation.ServeAsync(exchange, candidates);
    }

    /// <summary>Why this key may not use this model for this request, or null; all of it known before any upstream call.</summary>
    public static GatewayError? Refusal(CatalogModel model, ApiKeyIdentity identity, IGatewayOperation operation, CatalogSnapshot snapshot) =>
        ModelAccess.Refusal(model, identity) ?? operation.Refusal(model, snapshot);

    /// <summary>
    /// After the model's own deployments, its fallbacks' that this key may use and that can serve this request, in
    /// catalog order, each model once. The demo model is never a fallback: a paid request must not quietly end as a
    /// canned answer.
    /// </summary>
    private void AddFallbacks(CatalogModel model, Func<CatalogModel, bool> accepts, RouteOptions route, CatalogSnapshot snapshot, List<CatalogModel> candidates)
    {
        for (var i = 0; i < model.FallbackModelIds.Count; i++)
        {
            if (snapshot.FindModel(model.FallbackModelIds[i]) is { } fallback && fallback.Id != DemoModel.Id && fallback.Id != model.Id
                && !candidates.Exists(c => c.Id == fallback.Id))
            {
                router.AddRoutes(fallback, accepts, candidates, route, asFallback: true);
            }
        }
    }

    /// <summary>
    /// The request's own fallback models (<c>llmtr.models</c>), in its order, each once and only as far as this key may
    /// use it and it can serve the request; an id the catalog does not have is the request's mistake.
    /// </summary>
    private GatewayError? AddRequestedModels(RouteOptions route, Func<CatalogModel, bool> accepts, CatalogSnapshot snapshot, List<CatalogModel> candidates)
    {
        for (var i = 0; i < route.Models.Length; i++)
        {
            if (snapshot.FindModel(route.Models[i]) is not { } requested)
            {
                return GatewayError.Of(ApiErrors.ModelNotFound,
                    $"'llmtr.models[{i}]' names a model that does not exist. GET /v1/models lists the models your key may use.", $"llmtr.models[{i}]");
            }

            if (requested.Id != DemoModel.Id && !candidates.Exists(c => c.Id == requested.Id))
            {
                router.AddRoutes(requested, accepts, candidates, route, asFallback: true);
            }
        }

        return null;
    }

    private static GatewayError NoDeployment(CatalogModel model, RouteOptions route) => ReferenceEquals(route, RouteOptions.None)
        ? GatewayError.Of(ApiErrors.ProviderError, $"No deployment of '{model.Id}' can serve this request: every one is disabled.", "model")
        : GatewayError.Invalid($"No deployment of '{model.Id}' or of the models to fall back to is left by the routing options 'only', 'ignore' and 'allow_fallbacks'.", "llmtr.provider");

    [LoggerMessage(Level = LogLevel.Error, Message = "Gateway fault on request {RequestId}")]
    private static partial void LogGatewayFault(ILogger logger, Exception exception, string requestId);
}
