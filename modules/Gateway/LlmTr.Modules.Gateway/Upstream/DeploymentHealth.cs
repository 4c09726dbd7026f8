using System.Collections.Concurrent;
using LlmTr.Modules.Catalog.Contracts;
using Microsoft.Extensions.Options;

namespace LlmTr.Modules.Gateway.Upstream;

/// <summary>How a call to a deployment ended, as far as the deployment's health is concerned.</summary>
internal enum CallResult
{
    /// <summary>The deployment answered (a client error such as 400 included: it is up, the request was wrong).</summary>
    Answered,

    /// <summary>Unreachable, timed out, HTTP 5xx or 429: the deployment could not serve.</summary>
    Failed,
}

/// <summary>
/// Each deployment's health on this host, as its calls show it: after <see cref="RoutingOptions.FailuresToEject"/>
/// consecutive failures it is ejected (takes no traffic) for <see cref="RoutingOptions.Cooldown"/>; once the cooldown
/// has passed the next request may try it again, and one more failure ejects it again, while an answer restores it.
/// A circuit breaker per deployment, in memory and without locks on the read path: routing asks it on every request.
/// </summary>
/// <remarks>
/// Counted here rather than with Polly's circuit breaker: Polly 8 breaks on a failure ratio over a sampling window
/// with a minimum throughput, which cannot express "eject after N consecutive failures" for a deployment that gets a
/// few requests a minute, and routing needs to ask about health before a call, not learn it from a refused one.
/// </remarks>
internal sealed class DeploymentHealth(IOptions<GatewayOptions> options, TimeProvider time)
{
    private readonly ConcurrentDictionary<(string Model, string Name), State> _states = new();

    /// <summary>Whether the deployment takes traffic now: not ejected, or its cooldown is over.</summary>
    public bool IsAvailable(CatalogDeployment deployment) =>
        !_states.TryGetValue((deployment.ModelId, deployment.Name), out var state) || Volatile.Read(ref state.EjectedUntilTicks) <= time.GetUtcNow().UtcTicks;

    /// <summary>When an ejected deployment may be tried again (the past, for one that is available).</summary>
    public DateTimeOffset AvailableFrom(CatalogDeployment deployment) =>
        _states.TryGetValue((deployment.ModelId, deployment.Name), out var state) ? new DateTimeOffset(Volatile.Read(ref state.EjectedUntilTicks), TimeSpan.Zero) : DateTimeOffset.MinValue;

    /// <summary>Recent upstream latency (a moving average of time to response headers), or null before any answer.</summary>
    public TimeSpan? Latency(CatalogDeployment deployment) =>
        _states.TryGetValue((deployment.ModelId, deployment.Name), out var state) && Volatile.Read(ref state.LatencyTicks) is > 0 and var ticks ? TimeSpan.FromTicks(ticks) : null;

    public void Record(CatalogDeployment deployment, CallResult result, TimeSpan latency)
    {
        var state = _states.GetOrAdd((deployment.ModelId, deployment.Name), static _ => new State());
        lock (state)
        {
            if (result == CallResult.Answered)
            {
                state.ConsecutiveFailures = 0;
                Volatile.Write(ref state.EjectedUntilTicks, 0);
                var previous = state.LatencyTicks;
                Volatile.Write(ref state.LatencyTicks, previous == 0 ? latency.Ticks : (previous * 4 + latency.Ticks) / 5);
                return;
            }

            state.ConsecutiveFailures++;
            var settings = options.Value.Routing;
            if (state.ConsecutiveFailures >= Math.Max(1, settings.FailuresToEject))
            {
                Volatile.Write(ref state.EjectedUntilTicks, (time.GetUtcNow() + settings.Cooldown).UtcTicks);
            }
        }
    }

    private sealed class State
    {
        public int ConsecutiveFailures;
        public long EjectedUntilTicks;
        public long LatencyTicks;
    }
}
