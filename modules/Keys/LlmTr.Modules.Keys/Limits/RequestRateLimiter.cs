using System.Collections.Concurrent;
using System.Globalization;
using LlmTr.Persistence.Shared;
using StackExchange.Redis;

namespace LlmTr.Modules.Keys.Limits;

/// <summary>
/// Requests per minute per key, in fixed one-minute windows (UTC, aligned to the minute). With Redis configured the
/// window's count is one counter every host increments, so a key gets exactly its limit per window however many hosts
/// serve it; without Redis, or while it is away, each host counts alone and a key behind N hosts can reach N times its
/// limit in a window (the documented per-host bound). No database call either way.
/// </summary>
internal sealed class RequestRateLimiter(TimeProvider time, SharedCounters shared)
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    /// <summary>A window's counter outlives its minute a little, so a host whose clock runs late still finds it.</summary>
    private static readonly TimeSpan Expiry = TimeSpan.FromMinutes(2);

    /// <summary>Counts one request in the window's counter; sets the counter to expire when it is new.</summary>
    private const string CountScript = """
        local n = redis.call('INCR', KEYS[1])
        if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
        return n
        """;

    private static readonly RedisValue ExpiryArgument = (long)Expiry.TotalMilliseconds;

    private readonly ConcurrentDictionary<Guid, Counter> _counters = new();

    public ValueTask<RateDecision> TakeAsync(Guid keyId, int limit)
    {
        var now = time.GetUtcNow();
        var windowStart = new DateTimeOffset(now.Ticks - (now.Ticks % Window.Ticks), TimeSpan.Zero);
        return shared.Database is { } redis
            ? TakeSharedAsync(redis, keyId, limit, now, windowStart)
            : ValueTask.FromResult(TakeHere(keyId, limit, now, windowStart));
    }

    private async ValueTask<RateDecision> TakeSharedAsync(IDatabase redis, Guid keyId, int limit, DateTimeOffset now, DateTimeOffset windowStart)
    {
        long used;
        try
        {
            // The key's lineage in braces: one hash slot per key, so the counter works on a Redis cluster too.
            var counter = (RedisKey)string.Create(CultureInfo.InvariantCulture, $"llmtr:rpm:{{{keyId:N}}}:{windowStart.ToUnixTimeSeconds() / 60}");
            used = (long)await redis.ScriptEvaluateAsync(CountScript, [counter], [ExpiryArgument]);
            shared.Answered();
        }
        catch (Exception e) when (SharedCounters.IsOutage(e))
        {
            shared.Failed(e);
            return TakeHere(keyId, limit, now, windowStart);
        }

        var resetsIn = windowStart + Window - now;
        return used <= limit
            ? new RateDecision(true, limit, (int)(limit - used), resetsIn)
            : new RateDecision(false, limit, 0, resetsIn);
    }

    private RateDecision TakeHere(Guid keyId, int limit, DateTimeOffset now, DateTimeOffset windowStart)
    {
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
