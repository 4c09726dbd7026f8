using System.Collections.Concurrent;

namespace LlmTr.Modules.Keys.Limits;

/// <summary>
/// Requests per minute per key, in fixed one-minute windows on this host. With N hosts behind a balancer a key can
/// reach at most N times its limit in a minute (the documented per-host bound); no database call either way.
/// </summary>
internal sealed class RequestRateLimiter(TimeProvider time)
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);
    private readonly ConcurrentDictionary<Guid, Counter> _counters = new();

    public RateDecision Take(Guid keyId, int limit)
    {
        var now = time.GetUtcNow();
        var windowStart = new DateTimeOffset(now.Ticks - (now.Ticks % Window.Ticks), TimeSpan.Zero);
        var counter = _counters.GetOrAdd(keyId, _ => new Counter());
        int used;
        lock (counter)
        {
            if (counter.WindowStart != windowStart)
            {
                counter.WindowStart = windowStart;
                counter.Used = 0;
            }

            if (counter.Used < limit)
            {
                counter.Used++;
            }
            else
            {
                return new RateDecision(false, limit, 0, windowStart + Window - now);
            }

            used = counter.Used;
        }

        return new RateDecision(true, limit, limit - used, windowStart + Window - now);
    }

    private sealed class Counter
    {
        public DateTimeOffset WindowStart { get; set; }

        public int Used { get; set; }
    }
}

internal sealed record RateDecision(bool Allowed, int Limit, int Remaining, TimeSpan ResetsIn);
