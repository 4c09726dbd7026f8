using System.Threading.Channels;
using LlmTr.Modules.Billing.Contracts;
using LlmTr.Modules.Billing.Data;
using LlmTr.Modules.Billing.Ledger;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

namespace LlmTr.Modules.Billing.Usage;

/// <summary>
/// Writes recorded usage in batches: one transaction per batch inserts the usage rows (a request id already written
/// is skipped, so a retried batch never debits twice), appends one usage debit per account to the ledger, moves the
/// balances and key spend, and notifies every host. What is queued when the host stops is written before it exits.
/// </summary>
/// <remarks>
/// The queue is bounded by admission rather than by the channel: <see cref="TryReserve"/> counts a row for every
/// request admitted, and a row stops counting only once it is written (or refused by the database). So the rows
/// queued, being written and still to come from running requests never exceed <c>Billing:UsageQueueCapacity</c>, a
/// request that was admitted always finds room, and recording never waits. When the count is at the capacity (the
/// database has been away a long while) the gateway refuses new requests with 503 instead of losing their usage.
/// </remarks>
internal sealed partial class UsageWriter : BackgroundService, IUsageAdmission
{
    private readonly Channel<PricedUsage> _queue;
    private long _reserved;
    private int _fullWarned;
    private readonly NpgsqlDataSource _dataSource;
    private readonly AccountCredits _credits;
    private readonly BillingOptions _options;
    private readonly ILogger<UsageWriter> _logger;

    public UsageWriter(NpgsqlDataSource dataSource, AccountCredits credits, IOptions<BillingOptions> options, ILogger<UsageWriter> logger)
    {
        _dataSource = dataSource;
        _credits = credits;
        _options = options.Value;
        _logger = logger;
        _queue = Channel.CreateUnbounded<PricedUsage>(new UnboundedChannelOptions { SingleReader = true });
    }

    /// <summary>Rows queued, being written, or reserved by running requests.</summary>
    public long Reserved => Interlocked.Read(ref _reserved);

    public bool TryReserve()
    {
        if (Interlocked.Increment(ref _reserved) <= _options.UsageQueueCapacity)
        {
            return true;
        }

        Interlocked.Decrement(ref _reserved);
        if (Interlocked.Exchange(ref _fullWarned, 1) == 0)
        {
            LogQueueFull(_logger, _options.UsageQueueCapacity);
        }

        return false;
    }

    /// <summary>Queues a row; never waits. A report without a reservation takes one now, regardless of the bound.</summary>
    public void Enqueue(PricedUsage usage)
    {
        if (!usage.Report.Reserved)
        {
            Interlocked.Increment(ref _reserved);
        }

        if (!_queue.Writer.TryWrite(usage))
        {
            // Only after the host has stopped serving, so practically never; the row is named so it can be billed by hand.
            Interlocked.Decrement(ref _reserved);
            LogLostAfterShutdown(_logger, usage.Report.RequestId, usage.Report.AccountId, usage.Cost);
        }
    }

    private void Written(int rows)
    {
        Interlocked.Add(ref _reserved, -rows);
        Volatile.Write(ref _fullWarned, 0);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (await _queue.Reader.WaitToReadAsync(stoppingToken))
            {
                // A batch once begun is finished even if the host is stopping; only the waiting is cancelled.
                var full = await WriteQueuedAsync(onlyOneBatch: true, stoppingToken);
                if (!full)
                {
                    await Task.Delay(_options.UsageFlushInterval, stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>
    /// Stops taking rows and writes what is queued. The host may ask twice (stopping, then disposing, a test host does):
    /// the second call waits for the first drain instead of returning while it is still writing, which would let the
    /// host close the database under it.
    /// </summary>
    public override Task StopAsync(CancellationToken cancellationToken)
    {
        var stopping = new Lazy<Task>(() => DrainAsync(cancellationToken));
        return (Interlocked.CompareExchange(ref _stopping, stopping, null) ?? stopping).Value;
    }

    private Lazy<Task>? _stopping;

    private async Task DrainAsync(CancellationToken cancellationToken)
    {
        _queue.Writer.TryComplete();
        await base.StopAsync(cancellationToken);
        try
        {
            await WriteQueuedAsync(onlyOneBatch: false, cancellationToken);
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
        {
            // Out of time, or the host is already tearing down the database connections: nothing more can be written.
            // (A single-reader channel cannot count what it holds: the rows are counted as they are taken out.)
            var left = 0;
            while (_queue.Reader.TryRead(out _))
            {
                left++;
            }

            LogNotDrained(_logger, e, left);
        }
    }

    /// <returns>Whether the batch written was full (more is probably waiting).</returns>
    private async Task<bool> WriteQueuedAsync(bool onlyOneBatch, CancellationToken stoppingToken)
    {
        var batch = new List<PricedUsage>(_options.UsageBatchSize);
        do
        {
            batch.Clear();
            while (batch.Count < _options.UsageBatchSize && _queue.Reader.TryRead(out var usage))
            {
                batch.Add(usage);
            }

            if (batch.Count > 0)
            {
                await WriteWithRetriesAsync(batch, stoppingToken);
                Written(batch.Count);
            }
        }
        while (!onlyOneBatch && batch.Count > 0);

        return batch.Count == _options.UsageBatchSize;
    }

    private async Task WriteWithRetriesAsync(List<PricedUsage> batch, CancellationToken stoppingToken)
    {
        var maxDelay = _options.UsageRetryMaxDelay;
        var delay = maxDelay < TimeSpan.FromSeconds(1) ? maxDelay : TimeSpan.FromSeconds(1);
        while (true)
        {
            try
            {
                await WriteBatchAsync(batch);
                return;
            }
            catch (PostgresException e) when (!e.IsTransient && batch.Count > 1)
            {
                // The database refuses something in the batch: write the rows one by one so only the bad one stays out.
                LogSplitting(_logger, batch.Count, e.SqlState);
                foreach (var usage in batch)
                {
                    await WriteWithRetriesAsync([usage], stoppingToken);
                }

                return;
            }
            catch (PostgresException e) when (!e.IsTransient)
            {
                var usage = batch[0];
                LogRefused(_logger, usage.Report.RequestId, usage.Report.AccountId, usage.Cost, e.SqlState);
                foreach (var account in UsageBatch.Accounts(batch, written: new HashSet<string>()))
                {
                    _credits.Settle(account, versionAfter: 0);
                }

                return;
            }
            catch (Exception e) when (e is not OperationCanceledException and not ObjectDisposedException)
            {
                // The database is away (or something unforeseen failed): the rows are money, so keep them and retry.
                if (e is NpgsqlException or TimeoutException)
                {
                    LogRetrying(_logger, batch.Count, e.Message, delay);
                }
                else
                {
                    LogFailed(_logger, e, batch.Count, delay);
                }

                await Task.Delay(delay, stoppingToken);
                delay = delay * 2 > maxDelay ? maxDelay : delay * 2;
            }
        }
    }

    private async Task WriteBatchAsync(List<PricedUsage> batch)
    {
        await using var connection = await _dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var written = await InsertUsageAsync(connection, batch);
        var accounts = UsageBatch.Accounts(batch, written);
        var versions = await PostDebitsAsync(connection, accounts, batch[0].RecordedAt);
        await transaction.CommitAsync();

        foreach (var account in accounts)
        {
            _credits.Settle(account, versions[account.AccountId]);
        }
    }

    /// <returns>The request ids the database took (those already written are skipped).</returns>
    private async Task<HashSet<string>> InsertUsageAsync(NpgsqlConnection connection, List<PricedUsage> batch)
    {
        await using var insert = new NpgsqlCommand("""
            INSERT INTO billing.usage_records ("RequestId", "AccountId", "KeyId", "ModelId", "StartedAt", "LatencyMs", "Outcome",
              "HttpStatus", "PromptTokens", "CompletionTokens", "CachedPromptTokens", "ReasoningTokens", "Images", "AudioMinutes",
              "Cost", "Currency", "ProcessedIn", "Streamed", "RecordedAt")
            SELECT r, a, k, m, s, l, o, h, p, c, cp, rt, i, am, cost, @currency, string_to_array(pi, ','), st, rec
            FROM unnest(@r, @a, @k, @m, @s, @l, @o, @h, @p, @c, @cp, @rt, @i, @am, @cost, @pi, @st, @rec)
              AS t(r, a, k, m, s, l, o, h, p, c, cp, rt, i, am, cost, pi, st, rec)
            ON CONFLICT ("RequestId") DO NOTHING
            RETURNING "RequestId"
            """, connection);
        var reports = batch.Select(u => u.Report).ToArray();
        insert.Parameters.AddWithValue("currency", _credits.Currency);
        insert.Parameters.AddWithValue("r", reports.Select(r => r.RequestId).ToArray());
        insert.Parameters.AddWithValue("a", reports.Select(r => r.AccountId).ToArray());
        insert.Parameters.AddWithValue("k", reports.Select(r => r.KeyId).ToArray());
        insert.Parameters.AddWithValue("m", reports.Select(r => r.ModelId).ToArray());
        insert.Parameters.AddWithValue("s", reports.Select(r => r.StartedAt).ToArray());
        insert.Parameters.AddWithValue("l", reports.Select(r => (int)Math.Clamp(r.Latency.TotalMilliseconds, 0, int.MaxValue)).ToArray());
        insert.Parameters.AddWithValue("o", reports.Select(r => r.Outcome.ToString()).ToArray());
        insert.Parameters.AddWithValue("h", reports.Select(r => r.HttpStatus).ToArray());
        insert.Parameters.AddWithValue("p", reports.Select(r => r.Counts.PromptTokens).ToArray());
        insert.Parameters.AddWithValue("c", reports.Select(r => r.Counts.CompletionTokens).ToArray());
        insert.Parameters.AddWithValue("cp", reports.Select(r => r.Counts.CachedPromptTokens).ToArray());
        insert.Parameters.AddWithValue("rt", reports.Select(r => r.Counts.ReasoningTokens).ToArray());
        insert.Parameters.AddWithValue("i", reports.Select(r => r.Counts.Images).ToArray());
        insert.Parameters.AddWithValue("am", reports.Select(r => r.Counts.AudioMinutes).ToArray());
        insert.Parameters.AddWithValue("cost", batch.Select(u => u.Cost).ToArray());
        insert.Parameters.AddWithValue("pi", reports.Select(r => string.Join(',', r.ProcessedIn)).ToArray());
        insert.Parameters.AddWithValue("st", reports.Select(r => r.Streamed).ToArray());
        insert.Parameters.AddWithValue("rec", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz, batch.Select(u => u.RecordedAt.ToUniversalTime()).ToArray());

        var written = new HashSet<string>(StringComparer.Ordinal);
        await using var reader = await insert.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            written.Add(reader.GetString(0));
        }

        return written;
    }

    /// <returns>Each account's version after its debit.</returns>
    private async Task<Dictionary<string, long>> PostDebitsAsync(NpgsqlConnection connection, IReadOnlyList<AccountBatch> accounts, DateTimeOffset at)
    {
        var ordered = accounts.OrderBy(a => a.AccountId, StringComparer.Ordinal).ToArray(); // one lock order on every host
        var keys = ordered.SelectMany(a => UsageBatch.PerKey(a.WrittenKeys).Select(k => (a.AccountId, Key: k))).OrderBy(k => k.Key.KeyId).ToArray();
        var utc = at.ToUniversalTime();

        await using var debit = new NpgsqlBatch(connection);
        debit.BatchCommands.Add(Command("""
            INSERT INTO billing.ledger_entries ("AccountId", "At", "Kind", "Amount", "Currency", "RequestCount")
            SELECT a, @at, 'UsageDebit', -d, @currency, n FROM unnest(@a, @d, @n) AS t(a, d, n) WHERE d <> 0
            """,
            ("at", utc), ("currency", _credits.Currency), ("a", ordered.Select(a => a.AccountId).ToArray()),
            ("d", ordered.Select(a => a.Written).ToArray()), ("n", ordered.Select(a => a.WrittenRequests).ToArray())));
        debit.BatchCommands.Add(Command("""
            INSERT INTO billing.key_spend ("KeyId", "AccountId", "Total", "Month", "MonthAmount")
            SELECT k, a, total, month, amount FROM unnest(@k, @a, @total, @month, @amount) AS t(k, a, total, month, amount)
            ON CONFLICT ("KeyId") DO UPDATE SET
              "Total" = key_spend."Total" + excluded."Total",
              "MonthAmount" = CASE WHEN excluded."Month" = key_spend."Month" THEN key_spend."MonthAmount" + excluded."MonthAmount"
                                   WHEN excluded."Month" > key_spend."Month" THEN excluded."MonthAmount"
                                   ELSE key_spend."MonthAmount" END,
              "Month" = GREATEST(key_spend."Month", excluded."Month")
            """,
            ("k", keys.Select(k => k.Key.KeyId).ToArray()), ("a", keys.Select(k => k.AccountId).ToArray()),
            ("total", keys.Select(k => k.Key.Total).ToArray()), ("month", keys.Select(k => k.Key.Month).ToArray()),
            ("amount", keys.Select(k => k.Key.MonthAmount).ToArray())));
        debit.BatchCommands.Add(Command("""
            INSERT INTO billing.accounts ("AccountId", "Balance", "Currency", "Version", "UpdatedAt")
            SELECT a, -d, @currency, 1, @at FROM unnest(@a, @d) WITH ORDINALITY AS t(a, d, i) ORDER BY i
            ON CONFLICT ("AccountId") DO UPDATE SET
              "Balance" = accounts."Balance" + excluded."Balance",
              "Version" = accounts."Version" + 1,
              "UpdatedAt" = excluded."UpdatedAt"
            RETURNING "AccountId", "Version"
            """,
            ("at", utc), ("currency", _credits.Currency), ("a", ordered.Select(a => a.AccountId).ToArray()),
            ("d", ordered.Select(a => a.Written).ToArray())));

        var versions = new Dictionary<string, long>(StringComparer.Ordinal);
        await using (var reader = await debit.ExecuteReaderAsync())
        {
            do
            {
                while (await reader.ReadAsync())
                {
                    versions[reader.GetString(0)] = reader.GetInt64(1);
                }
            }
            while (await reader.NextResultAsync());
        }

        await using var notify = new NpgsqlBatch(connection);
        foreach (var payload in CreditChangeListener.Payloads(versions.Select(v => (v.Key, v.Value))))
        {
            notify.BatchCommands.Add(Command("SELECT pg_notify(@channel, @payload)", ("channel", BillingDbContext.ChangeChannel), ("payload", payload)));
        }

        await notify.ExecuteNonQueryAsync();
        return versions;
    }

    private static NpgsqlBatchCommand Command(string sql, params (string Name, object Value)[] parameters)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter(name, value));
        }

        return command;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The usage queue is full ({Capacity} rows): new /v1 requests are refused with 503 until the database takes the queued usage")]
    private static partial void LogQueueFull(ILogger logger, int capacity);

    [LoggerMessage(Level = LogLevel.Error, Message = "Usage of request {RequestId} (account {AccountId}, cost {Cost}) arrived after shutdown and was not written")]
    private static partial void LogLostAfterShutdown(ILogger logger, string requestId, string accountId, decimal cost);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Count} usage rows were still queued when the host stopped and could not be written (shutdown ran out of time, or the database was already closed)")]
    private static partial void LogNotDrained(ILogger logger, Exception exception, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not write {Count} usage rows ({Reason}); retrying in {Delay}")]
    private static partial void LogRetrying(ILogger logger, int count, string reason, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Error, Message = "Writing {Count} usage rows failed; retrying in {Delay}")]
    private static partial void LogFailed(ILogger logger, Exception exception, int count, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The database refused a batch of {Count} usage rows ({SqlState}); writing them one by one")]
    private static partial void LogSplitting(ILogger logger, int count, string sqlState);

    [LoggerMessage(Level = LogLevel.Error, Message = "The database refused usage of request {RequestId} (account {AccountId}, cost {Cost}, {SqlState}); it was not written")]
    private static partial void LogRefused(ILogger logger, string requestId, string accountId, decimal cost, string sqlState);
}
