using System.Collections.Concurrent;
using System.Globalization;
using LlmTr.Persistence.Shared;
using StackExchange.Redis;

namespace LlmTr.Modules.Billing.Ledger;

/// <summary>
/// Credit holds counted across hosts in Redis (when it is configured and answers). Each host publishes, per account,
/// what it exposes: the holds of its running paid requests plus the usage it has debited but not yet written, in all
/// and per spender (key or member). A new hold is admitted by one script that sees every live host's exposure and the
/// newest committed balance and spend any host has seen, so parallel requests on all hosts together overshoot a
/// balance or limit by at most one request's maximum cost, as on one host.
/// <para>
/// Every write sets this host's figures whole (never adds to them), in the order of the host's own changes (each is
/// queued under the account's lock on the one Redis connection), so nothing drifts: a lost write is replaced by the
/// next one, and a heartbeat republishes what this host holds, which also keeps its figures alive. A host that stops
/// heartbeating (it died) stops counting after <see cref="HostLifetime"/>.
/// </para>
/// </summary>
internal sealed class SharedCredit(SharedCounters counters)
{
    /// <summary>How long a host's published figures count without a heartbeat.</summary>
    public static readonly TimeSpan HostLifetime = TimeSpan.FromSeconds(20);

    /// <summary>How often a host republishes what it holds.</summary>
    public static readonly TimeSpan HeartbeatInterval = TimeSpan.FromSeconds(5);

    private static readonly RedisValue Lifetime = (long)HostLifetime.TotalMilliseconds;

    /// <summary>Accounts this host has published figures for: the heartbeat's list.</summary>
    private readonly ConcurrentDictionary<string, AccountCredit> _published = new(StringComparer.Ordinal);

    /// <summary>
    /// Admits one hold or refuses it. ARGV: host, lifetime, seed version and balance, the tentative hold, this host's
    /// exposure with it, its running requests with it, the month (yyyymm), then key and member, 8 values each.
    /// Returns the outcome code (<see cref="HoldOutcome"/>, a member's refusal as the key's plus 4), the amount held,
    /// the committed balance and the running requests of every host.
    /// </summary>
    private const string ReserveScript = """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        local me = ARGV[1]
        local v = tonumber(redis.call('HGET', KEYS[1], 'v') or '0')
        if tonumber(ARGV[3]) > v then
          redis.call('HSET', KEYS[1], 'v', ARGV[3], 'b', ARGV[4])
        end
        local b = tonumber(redis.call('HGET', KEYS[1], 'b') or ARGV[4])
        local live = {}
        local others = 0
        local running = tonumber(ARGV[7])
        for _, h in ipairs(redis.call('SMEMBERS', KEYS[2])) do
          if h ~= me then
            if tonumber(redis.call('HGET', KEYS[1], 't|' .. h) or '0') < now then
              redis.call('HDEL', KEYS[1], 't|' .. h, 'x|' .. h, 'n|' .. h)
              redis.call('SREM', KEYS[2], h)
            else
              live[#live + 1] = h
              others = others + tonumber(redis.call('HGET', KEYS[1], 'x|' .. h) or '0')
              running = running + tonumber(redis.call('HGET', KEYS[1], 'n|' .. h) or '0')
            end
          end
        end
        local A = tonumber(ARGV[5])
        local mine = tonumber(ARGV[6]) - A
        local room = b - others - mine
        local outcome = 0
        if room <= 0 then
          outcome = (b <= 0) and 1 or 2
        end
        local month = ARGV[8]
        local function spender(i, offset)
          local id = ARGV[i]
          if id == '' or outcome ~= 0 then return end
          local field = 's|' .. id
          local sv, total, sm, amount = 0, 0, '', 0
          local stored = redis.call('HGET', KEYS[1], field)
          if stored then
            local a, c, d, e = string.match(stored, '^(%d+):(-?%d+):(%d+):(-?%d+)$')
            sv, total, sm, amount = tonumber(a), tonumber(c), d, tonumber(e)
          end
          if tonumber(ARGV[i + 1]) > sv then
            sv, total, sm, amount = tonumber(ARGV[i + 1]), tonumber(ARGV[i + 2]), ARGV[i + 3], tonumber(ARGV[i + 4])
            redis.call('HSET', KEYS[1], field, ARGV[i + 1] .. ':' .. ARGV[i + 2] .. ':' .. ARGV[i + 3] .. ':' .. ARGV[i + 4])
          end
          local held = tonumber(ARGV[i + 5]) - A
          for _, h in ipairs(live) do
            held = held + tonumber(redis.call('HGET', KEYS[1], 'x|' .. h .. '|' .. id) or '0')
          end
          -- a limit (negative: none) narrows the room, or refuses: reached when spent, held when running requests hold the rest
          local function narrow(limit, spent, reached)
            if limit < 0 or outcome ~= 0 then return end
            local left = limit - spent - held
            if left <= 0 then
              outcome = ((spent >= limit) and reached or reached + 1) + offset
            else
              room = math.min(room, left)
            end
          end
          narrow(tonumber(ARGV[i + 6]), total, 3)
          narrow(tonumber(ARGV[i + 7]), (sm == month) and amount or 0, 5)
        end
        spender(9, 0)
        spender(17, 4)
        local granted = 0
        if outcome == 0 then granted = math.min(A, room) end
        local n = tonumber(ARGV[7])
        if outcome ~= 0 then n = n - 1 end
        redis.call('HSET', KEYS[1], 'x|' .. me, mine + granted, 'n|' .. me, n, 't|' .. me, now + tonumber(ARGV[2]))
        for _, i in ipairs({9, 17}) do
          if ARGV[i] ~= '' then
            local x = tonumber(ARGV[i + 5]) - A + granted
            if x > 0 then redis.call('HSET', KEYS[1], 'x|' .. me .. '|' .. ARGV[i], x) else redis.call('HDEL', KEYS[1], 'x|' .. me .. '|' .. ARGV[i]) end
          end
        end
        redis.call('SADD', KEYS[2], me)
        redis.call('PEXPIRE', KEYS[1], 86400000)
        redis.call('PEXPIRE', KEYS[2], 86400000)
        return {outcome, granted, b, running}
        """;

    /// <summary>
    /// Sets this host's figures for an account whole, and the committed state when it is newer than Redis has. ARGV:
    /// host, lifetime, state version and balance (version 0: none), exposure, running requests, then 6 values per
    /// spender: id, exposure, seed version (0: none), total, month, month amount.
    /// </summary>
    private const string PublishScript = """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        local me = ARGV[1]
        if tonumber(ARGV[3]) > tonumber(redis.call('HGET', KEYS[1], 'v') or '0') then
          redis.call('HSET', KEYS[1], 'v', ARGV[3], 'b', ARGV[4])
        end
        if tonumber(ARGV[5]) > 0 or tonumber(ARGV[6]) > 0 then
          redis.call('HSET', KEYS[1], 'x|' .. me, ARGV[5], 'n|' .. me, ARGV[6], 't|' .. me, now + tonumber(ARGV[2]))
          redis.call('SADD', KEYS[2], me)
        else
          redis.call('HDEL', KEYS[1], 'x|' .. me, 'n|' .. me, 't|' .. me)
          redis.call('SREM', KEYS[2], me)
        end
        for i = 7, #ARGV, 6 do
          local field = 'x|' .. me .. '|' .. ARGV[i]
          if tonumber(ARGV[i + 1]) > 0 then redis.call('HSET', KEYS[1], field, ARGV[i + 1]) else redis.call('HDEL', KEYS[1], field) end
          if tonumber(ARGV[i + 2]) > 0 then
            local stored = redis.call('HGET', KEYS[1], 's|' .. ARGV[i])
            local sv = stored and tonumber(string.match(stored, '^(%d+):')) or 0
            if tonumber(ARGV[i + 2]) > sv then
              redis.call('HSET', KEYS[1], 's|' .. ARGV[i], ARGV[i + 2] .. ':' .. ARGV[i + 3] .. ':' .. ARGV[i + 4] .. ':' .. ARGV[i + 5])
            end
          end
        end
        redis.call('PEXPIRE', KEYS[1], 86400000)
        redis.call('PEXPIRE', KEYS[2], 86400000)
        return 1
        """;

    public SharedCounters Counters => counters;

    /// <summary>Queues the admission script for a hold already taken on this host (called under the account's lock).</summary>
    public Task<RedisResult> StartReserve(IDatabase redis, string accountId, in HostExposure exposure, decimal tentative, DateOnly month,
        in SpenderLimits key, in SpenderLimits member)
    {
        var values = new RedisValue[24];
        values[0] = counters.HostId;
        values[1] = Lifetime;
        values[2] = exposure.Version;
        values[3] = Floor(exposure.Stored);
        values[4] = Ceiling(tentative);
        values[5] = Ceiling(exposure.Total);
        values[6] = exposure.Running;
        values[7] = MonthOf(month);
        Spender(values, 8, key);
        Spender(values, 16, member);
        return redis.ScriptEvaluateAsync(ReserveScript, Keys(accountId), values);
    }

    /// <summary>
    /// Queues this host's figures for the account, whole (called under the account's lock, fire and forget: a lost write
    /// is made good by the next one or the heartbeat). Nothing while Redis is away.
    /// </summary>
    public void Publish(AccountCredit account, in HostExposure exposure, IReadOnlyList<SpenderExposure> spenders)
    {
        if (counters.Database is not { } redis)
        {
            _published.TryAdd(account.AccountId, account); // the heartbeat publishes it once Redis is back
            return;
        }

        var values = new RedisValue[6 + (6 * spenders.Count)];
        values[0] = counters.HostId;
        values[1] = Lifetime;
        values[2] = exposure.Version;
        values[3] = Floor(exposure.Stored);
        values[4] = Ceiling(exposure.Total);
        values[5] = exposure.Running;
        var i = 6;
        foreach (var spender in spenders)
        {
            values[i++] = spender.Id.ToString("N");
            values[i++] = Ceiling(spender.Exposure);
            values[i++] = spender.Stored is null ? 0 : exposure.Version;
            values[i++] = Floor(spender.Stored?.Total ?? 0m);
            values[i++] = spender.Stored is { } stored ? MonthOf(stored.Month) : 0;
            values[i++] = Floor(spender.Stored?.MonthAmount ?? 0m);
        }

        if (exposure.Total > 0m || exposure.Running > 0)
        {
            _published.TryAdd(account.AccountId, account);
        }
        else
        {
            _published.TryRemove(account.AccountId, out _);
        }

        try
        {
            _ = redis.ScriptEvaluateAsync(PublishScript, Keys(account.AccountId), values, CommandFlags.FireAndForget);
        }
        catch (Exception e) when (SharedCounters.IsOutage(e))
        {
            counters.Failed(e);
            _published.TryAdd(account.AccountId, account);
        }
    }

    /// <summary>The heartbeat: republishes every account this host holds something of (which keeps its figures alive).</summary>
    public void PublishAll()
    {
        if (counters.Database is null)
        {
            return;
        }

        foreach (var account in _published.Values)
        {
            account.Publish();
        }
    }

    /// <summary>The amount a nano-unit figure from Redis stands for.</summary>
    public static decimal FromNanos(long nanos) => nanos / 1_000_000_000m;

    private static RedisKey[] Keys(string accountId) =>
        [(RedisKey)$"llmtr:credit:{{{accountId}}}", (RedisKey)$"llmtr:credit:{{{accountId}}}:hosts"];

    private static void Spender(RedisValue[] values, int at, in SpenderLimits spender)
    {
        if (spender.Id == Guid.Empty)
        {
            values[at] = string.Empty;
            for (var i = 1; i < 8; i++)
            {
                values[at + i] = 0;
            }

            return;
        }

        values[at] = spender.Id.ToString("N");
        values[at + 1] = spender.Version;
        values[at + 2] = Floor(spender.Stored.Total);
        values[at + 3] = MonthOf(spender.Stored.Month);
        values[at + 4] = Floor(spender.Stored.MonthAmount);
        values[at + 5] = Ceiling(spender.Exposure);
        values[at + 6] = spender.Total is { } total ? Floor(total) : -1;
        values[at + 7] = spender.Monthly is { } monthly ? Floor(monthly) : -1;
    }

    private static string MonthOf(DateOnly month) => month == default ? "0" : (month.Year * 100 + month.Month).ToString(CultureInfo.InvariantCulture);

    // Amounts travel as whole billionths; what this host holds is rounded up and what it may spend rounded down, so
    // rounding only ever refuses a billionth early.
    private const decimal Largest = 1_000_000_000_000_000_000m;

    private static long Ceiling(decimal amount) => (long)Math.Clamp(decimal.Ceiling(Math.Min(amount, Largest / 1_000_000_000m) * 1_000_000_000m), -Largest, Largest);

    private static long Floor(decimal amount) => (long)Math.Clamp(decimal.Floor(Math.Clamp(amount, -Largest / 1_000_000_000m, Largest / 1_000_000_000m) * 1_000_000_000m), -Largest, Largest);
}

/// <summary>What one host exposes of an account: the committed state it knows, and what its requests hold or have spent unwritten.</summary>
internal readonly record struct HostExposure(long Version, decimal Stored, decimal Total, int Running);

/// <summary>What one host exposes of one spender (key or member), with the spend it knows committed (null: none).</summary>
internal readonly record struct SpenderExposure(Guid Id, decimal Exposure, KeySpend? Stored);

/// <summary>A spender's part in an admission: its id (empty: none), committed spend, this host's exposure with the new hold, and limits.</summary>
internal readonly record struct SpenderLimits(Guid Id, long Version, KeySpend Stored, decimal Exposure, decimal? Total, decimal? Monthly);
