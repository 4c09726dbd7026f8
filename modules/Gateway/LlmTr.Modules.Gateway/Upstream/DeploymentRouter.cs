using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using LlmTr.Modules.Catalog.Contracts;

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
    public int AddRoutes(CatalogModel model, Func<CatalogModel, bool> accepts, List<CatalogModel> routes)
    {
        var deployments = model.Deployments;
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

        var anyCredential = false;
        for (var i = 0; i < deployments.Count; i++)
        {
            anyCredential |= deployments[i].IsActive && providers.HasCredential(deployments[i].AccountId);
        }

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
