using System.Diagnostics.Metrics;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace LlmTr.Persistence.Shared;

/// <summary>
/// The counters every host shares (per-key request limits, running requests' credit holds), kept in Redis when
/// <c>ConnectionStrings:Redis</c> is set. Without it, or while Redis cannot be reached, <see cref="Database"/> is null
/// and each caller counts on this host alone (the documented per-host bound): shared counting never refuses traffic
/// of its own, and it comes back by itself when Redis answers again.
/// </summary>
public sealed partial class SharedCounters : IAsyncDisposable
{
    public const string MeterName = "LlmTr.SharedCounters";

    /// <summary>How long a host counts on its own after a Redis command failed before it tries Redis again.</summary>
    private static readonly long RetryAfterMs = 1_000;

    private readonly ILogger<SharedCounters> _logger;
    private readonly Counter<long> _fallbacks;
    private readonly ConfigurationOptions? _options;
    private ConnectionMultiplexer? _connection;
    private IDatabase? _database;
    private long _retryAt;
    private int _down = 1;

    public SharedCounters(IOptions<SharedCountersOptions> options, ILogger<SharedCounters> logger, IMeterFactory meters)
    {
        _logger = logger;
        var meter = meters.Create(MeterName);
        _fallbacks = meter.CreateCounter<long>("llmtr.shared_counters.fallbacks",
            description: "Counter operations a host made on its own because Redis was configured but could not be reached");
        meter.CreateObservableGauge<int>("llmtr.shared_counters.available", () => IsConfigured ? [new Measurement<int>(Volatile.Read(ref _down) == 0 ? 1 : 0)] : Array.Empty<Measurement<int>>(),
            description: "1 while this host counts limits and holds in Redis, 0 while it counts on its own (Redis configured but away)");
        if (options.Value.ConnectionString is { Length: > 0 } connectionString)
        {
            _options = ConfigurationOptions.Parse(connectionString); // checked at start (SharedCountersOptions)
            _options.AbortOnConnectFail = false; // a host starts, and serves, while Redis is away
            _options.BacklogPolicy = BacklogPolicy.FailFast; // and never queues a request behind a reconnect
            _options.ClientName ??= "llmtr";
            if (!connectionString.Contains("syncTimeout", StringComparison.OrdinalIgnoreCase))
            {
                _options.SyncTimeout = 500;
            }

            if (!connectionString.Contains("asyncTimeout", StringComparison.OrdinalIgnoreCase))
            {
                _options.AsyncTimeout = 500;
            }

            if (!connectionString.Contains("connectTimeout", StringComparison.OrdinalIgnoreCase))
            {
                _options.ConnectTimeout = 2_000;
            }
        }
    }

    /// <summary>Whether Redis is configured (whether or not it answers right now).</summary>
    public bool IsConfigured => _options is not null;

    /// <summary>Whether the last Redis command answered (counting is shared); false before the first one and after a failure.</summary>
    public bool IsShared => IsConfigured && Volatile.Read(ref _down) == 0;

    /// <summary>This host's name in shared state: what it holds is kept apart from other hosts' and expires if it dies.</summary>
    public string HostId { get; } = Guid.NewGuid().ToString("N")[..16];

    /// <summary>
    /// Redis, when counting is shared right now; null when it is not configured or not reachable (count on this host).
    /// After a failure only one caller a second gets Redis, to try it; the others count on this host until one
    /// succeeds (<see cref="Answered"/>), so a Redis that hangs costs one slow request a second, not every request.
    /// </summary>
    public IDatabase? Database
    {
        get
        {
            if (_database is null)
            {
                return null;
            }

            var retryAt = Interlocked.Read(ref _retryAt);
            if (!_connection!.IsConnected
                || (retryAt != 0 && (Environment.TickCount64 < retryAt
                    || Interlocked.CompareExchange(ref _retryAt, Environment.TickCount64 + RetryAfterMs, retryAt) != retryAt)))
            {
                _fallbacks.Add(1);
                return null;
            }

            return _database;
        }
    }

    /// <summary>A Redis command answered: counting is shared (again).</summary>
    public void Answered()
    {
        if (Interlocked.Read(ref _retryAt) != 0)
        {
            Interlocked.Exchange(ref _retryAt, 0);
        }

        if (Volatile.Read(ref _down) == 1 && Interlocked.Exchange(ref _down, 0) == 1)
        {
            LogShared(_logger);
        }
    }

    /// <summary>A Redis command failed: this host counts on its own for a moment, then tries Redis again.</summary>
    public void Failed(Exception exception)
    {
        Interlocked.Exchange(ref _retryAt, Environment.TickCount64 + RetryAfterMs);
        GoneAway(exception.Message);
    }

    /// <summary>
    /// Whether an exception came from Redis (away, slow, starting up, or refusing a command): the caller then counts on
    /// this host. Shared counting must never be why a request fails.
    /// </summary>
    public static bool IsOutage(Exception exception) =>
        exception is RedisException or TimeoutException or ObjectDisposedException;

    internal async Task ConnectAsync()
    {
        if (_options is null)
        {
            return;
        }

        _connection = await ConnectionMultiplexer.ConnectAsync(_options);
        _connection.ConnectionFailed += (_, e) => GoneAway(e.Exception?.Message ?? e.FailureType.ToString());
        _database = _connection.GetDatabase();
        if (!_connection.IsConnected)
        {
            LogUnreachableAtStart(_logger);
        }
    }

    private void GoneAway(string reason)
    {
        if (Interlocked.Exchange(ref _down, 1) == 0)
        {
            LogGoneAway(_logger, reason);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_connection is not null)
        {
            await _connection.DisposeAsync();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Redis is unreachable ({Reason}): request limits and credit holds are counted per host until it answers again.")]
    private static partial void LogGoneAway(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Redis is configured but not reachable yet: request limits and credit holds are counted per host until it answers.")]
    private static partial void LogUnreachableAtStart(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Redis answers: request limits and credit holds are counted across hosts.")]
    private static partial void LogShared(ILogger logger);
}

/// <summary><c>ConnectionStrings:Redis</c>: optional; when set it must be a StackExchange.Redis connection string.</summary>
public sealed class SharedCountersOptions
{
    public string? ConnectionString { get; set; }

    internal static bool IsValid(string? connectionString)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            return true;
        }

        try
        {
            return ConfigurationOptions.Parse(connectionString).EndPoints.Count > 0;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
