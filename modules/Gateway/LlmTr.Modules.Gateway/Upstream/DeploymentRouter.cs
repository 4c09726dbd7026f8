using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using LlmTr.Modules.Catalog.Contracts;
using LlmTr.Modules.Gateway.Chat;

namespace LlmTr.Modules.Gateway.Upstream;

/// <summary>
/// Which of a model's deployments a request tries, in which order. Each is offered as the model <em>served from</em>
/// that deployment (<see cref="Served"/>): the same model id and prices, the deployment's upstream name and data path,
/// so the checks of residency and retention, the <c>x-llmtr-processed-in</c> header and the usage row's countries all
/// see the path the request really takes.
/// <list type="bullet">
/// <item>Only active deployments; when some of them have a credential, only those (one without could only be refused).</item>
/// <item>Only those the request accepts (a request or key that must stay in Turkey never reaches one abroad).</item>
/// <item>Healthy ones: first the one whose turn it is by weight (smooth weighted round robin), then the others, heaviest
/// first; ejected ones only when no other is left, soonest back first, so a model with one deployment is never refused
/// on this host's say alone.</item>
/// </list>
/// </summary>
internal sealed class DeploymentRouter(ProviderDirectory providers, DeploymentHealth health)
{
    private readonly ConditionalWeakTable<CatalogDeployment, CatalogModel> _served = [];
    private readonly ConcurrentDictionary<string, Dictionary<string, long>> _credit = new(StringComparer.Ordinal);

    /// <summary>
    /// Adds <paramref name="model"/>'s deployments that may take the request to <paramref name="routes"/>, best first;
    /// the number added (zero when none may).
    /// </summary>
    public int AddRoutes(CatalogModel model, Func<CatalogModel, bool> accepts, List<CatalogModel> routes) =>
        AddRoutes(model, accepts, routes, RouteOptions.None);

    /// <summary>
    /// The same, as a request's routing options ask: only the deployments <c>only</c> names (none <c>ignore</c> names),
    /// those <c>order</c> names first in its order, and with <c>allow_fallbacks: false</c> no others.
    /// </summary>
    /// <param name="asFallback">
    /// The model is a fallback: it is used only through deployments that have a credential. The requested model is
    /// called even when none has one (the provider's own refusal then says why); a fallback without one could only fail.
    /// </param>
    public int AddRoutes(CatalogModel model, Func<CatalogModel, bool> accepts, List<CatalogModel> routes, RouteOptions route, bool asFallback = false)
    {
        var deployments = model.Deployments;
        if (asFallback && !HasAnyCredential(deployments))
        {
            return 0;
        }

        if (deployments.Count == 0)
        {
            // A model the catalog did not load (built by hand): its provider's default deployment serves it.
            if (accepts(model))
            {
                routes.Add(model);
                return 1;
            }

            return 0;
        }

        if (!ReferenceEquals(route, RouteOptions.None))
        {
            return AddRoutesAsAsked(model, accepts, routes, route);
        }

        var anyCredential = HasAnyCredential(deployments);

        Span<int> available = deployments.Count <= 32 ? stackalloc int[deployments.Count] : new int[deployments.Count];
        var availableCount = 0;
        List<(DateTimeOffset Back, CatalogModel Served)>? ejected = null;
        for (var i = 0; i < deployments.Count; i++)
        {
            var deployment = deployments[i];
            if (!deployment.IsActive || (anyCredential && !providers.HasCredential(deployment.AccountId)))
            {
                continue;
            }

            var served = Served(model, deployment);
            if (!accepts(served))
            {
                continue;
            }

            if (health.IsAvailable(deployment))
            {
                available[availableCount++] = i;
            }
            else
            {
                (ejected ??= []).Add((health.AvailableFrom(deployment), served));
            }
        }

        if (availableCount > 0)
        {
            var chosen = available[..availableCount];
            var first = availableCount > 1 ? NextByWeight(model, chosen) : chosen[0];
            routes.Add(Served(model, deployments[first]));

            // The others, should the first fail before anything reached the client: heaviest first, weight 0 last.
            chosen.Sort((a, b) => a == b ? 0 : deployments[b].Weight != deployments[a].Weight ? deployments[b].Weight.CompareTo(deployments[a].Weight) : a.CompareTo(b));
            foreach (var index in chosen)
            {
                if (index != first)
                {
                    routes.Add(Served(model, deployments[index]));
                }
            }

            return availableCount;
        }

        if (ejected is null)
        {
            return 0;
        }

        ejected.Sort(static (a, b) => a.Back.CompareTo(b.Back));
        foreach (var (_, served) in ejected)
        {
            routes.Add(served);
        }

        return ejected.Count;
    }

    /// <summary>
    /// A model's routes under a request's routing options: the usual order (<see cref="AddRoutes(CatalogModel, Func{CatalogModel, bool}, List{CatalogModel})"/>)
    /// of the deployments the options allow, with those named in <c>order</c> moved to the front in its order.
    /// </summary>
    private int AddRoutesAsAsked(CatalogModel model, Func<CatalogModel, bool> accepts, List<CatalogModel> routes, RouteOptions route)
    {
        var start = routes.Count;
        var added = AddRoutes(model, served => Allowed(served.Deployments[0].Name, route) && accepts(served), routes);
        if (added > 1 && route.Order.Length > 0)
        {
            var mine = routes.GetRange(start, added).OrderBy(Rank).ToList(); // stable: the rest keep their order
            routes.RemoveRange(start, added);
            routes.AddRange(mine);
        }

        return added;

        int Rank(CatalogModel served) => route.Order.IndexOf(served.Deployments[0].Name) is >= 0 and var at ? at : int.MaxValue;
    }

    /// <summary>
    /// Orders a request's routes as its <c>sort</c> asks, keeping those its <c>order</c> names first: <c>price</c> puts
    /// the cheapest model first (its input and output token prices in force), <c>latency</c> the deployment answering
    /// fastest lately (ones not measured yet after those measured). Ties keep the order routing gave them.
    /// </summary>
    public void Sort(List<CatalogModel> routes, RouteOptions route, DateTimeOffset now)
    {
        var sorted = routes
            .OrderBy(served => route.Order.IndexOf(served.Deployments.Count > 0 ? served.Deployments[0].Name : "") is >= 0 and var at ? at : int.MaxValue)
            .ThenBy(served => route.Sort == RouteSort.Price ? PriceOf(served, now) : LatencyOf(served))
            .ToList();
        routes.Clear();
        routes.AddRange(sorted);
    }

    private static decimal PriceOf(CatalogModel model, DateTimeOffset now) =>
        (model.PriceAt(PriceUnit.InputTokensPerMillion, now)?.Amount ?? 0) + (model.PriceAt(PriceUnit.OutputTokensPerMillion, now)?.Amount ?? 0);

    private decimal LatencyOf(CatalogModel served) =>
        served.Deployments.Count > 0 && health.Latency(served.Deployments[0]) is { } latency ? (decimal)latency.TotalMilliseconds : decimal.MaxValue;

    private bool HasAnyCredential(IReadOnlyList<CatalogDeployment> deployments)
    {
        for (var i = 0; i < deployments.Count; i++)
        {
            if (deployments[i].IsActive && providers.HasCredential(deployments[i].AccountId))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether the routing options let a deployment of this name serve the request.</summary>
    private static bool Allowed(string name, RouteOptions route) =>
        (route.Only.IsEmpty || route.Only.Contains(name))
        && !route.Ignore.Contains(name)
        && (route.AllowFallbacks || route.Order.Contains(name));

    /// <summary>
    /// The deployment to try first, by smooth weighted round robin over the eligible ones (the scheme nginx uses): each
    /// gains its weight, the one with the most goes and gives back the total. Over any run of requests each deployment
    /// leads in proportion to its weight, evenly interleaved, not just on average; weight 0 leads only when all are 0.
    /// </summary>
    private int NextByWeight(CatalogModel model, ReadOnlySpan<int> eligible)
    {
        var deployments = model.Deployments;
        var credit = _credit.GetOrAdd(model.Id, static _ => new Dictionary<string, long>(StringComparer.Ordinal));
        lock (credit)
        {
            var first = eligible[0];
            long total = 0;
            var best = long.MinValue;
            foreach (var index in eligible)
            {
                var deployment = deployments[index];
                if (deployment.Weight <= 0)
                {
                    continue;
                }

                ref var current = ref CollectionsMarshal.GetValueRefOrAddDefault(credit, deployment.Name, out _);
                current += deployment.Weight;
                total += deployment.Weight;
                if (current > best)
                {
                    best = current;
                    first = index;
                }
            }

            if (total > 0)
            {
                credit[deployments[first].Name] -= total;
            }

            return first;
        }
    }

    /// <summary>The model as served from one of its deployments (kept per deployment of a snapshot: no allocation per request).</summary>
    public CatalogModel Served(CatalogModel model, CatalogDeployment deployment) =>
        model.Deployments.Count == 1 && ReferenceEquals(model.Deployments[0], deployment) && ReferenceEquals(model.DataPath, deployment.DataPath)
            && string.Equals(model.UpstreamName, deployment.UpstreamName, StringComparison.Ordinal)
            ? model
            : _served.TryGetValue(deployment, out var served) ? served : Project(model, deployment);

    private CatalogModel Project(CatalogModel model, CatalogDeployment deployment)
    {
        var served = model with { UpstreamName = deployment.UpstreamName, DataPath = deployment.DataPath, Deployments = [deployment] };
        _served.AddOrUpdate(deployment, served);
        return served;
    }

    /// <summary>
    /// The deployment a candidate is served from, and its provider as that deployment speaks it: the deployment's address,
    /// its protocol family (Azure OpenAI speaks OpenAI's) and whether it serves the Responses API.
    /// </summary>
    public static (CatalogDeployment Deployment, CatalogProvider Provider) Endpoint(CatalogModel candidate, CatalogProvider provider)
    {
        var deployment = candidate.Deployments.Count > 0 ? candidate.Deployments[0] : CatalogDeployment.DefaultOf(candidate, provider);
        var protocol = deployment.Protocol == ApiProtocol.AzureOpenAi ? ApiProtocol.OpenAi : deployment.Protocol;
        return string.Equals(provider.BaseUrl, deployment.BaseUrl, StringComparison.Ordinal) && provider.Protocol == protocol
            && provider.SpeaksResponsesApi == deployment.SpeaksResponsesApi
            ? (deployment, provider)
            : (deployment, provider with { BaseUrl = deployment.BaseUrl, Protocol = protocol, SpeaksResponsesApi = deployment.SpeaksResponsesApi });
    }
}
