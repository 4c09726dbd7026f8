using System.Data;
using System.Diagnostics;
using System.Diagnostics.Metrics;
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
/// Writes recorded usage in batches, on a session of its own, off every request's path: one transaction per batch
/// copies the rows in (binary COPY into a staging table), inserts those whose request id is new (a retried batch never
/// writes or debits a row twice), appends one usage debit per account to the ledger, moves the balances and key spend,
/// takes back each account's new state for this host's in-memory credit in the same round trip, and notifies every
/// host. What is queued when the host stops is written before it exits.
/// </summary>
/// <remarks>
/// The queue is bounded by admission rather than by the channel: <see cref="TryReserve"/> counts a row for every
/// request admitted, and a row stops counting only once it is written (or refused by the database). So the rows
/// queued, being written and still to come from running requests never exceed <c>Billing:UsageQueueCapacity</c>, a
/// request that was admitted always finds room, and recording never waits. When the count is at the capacity (the
/// database has been away a long while) the gateway refuses new requests with 503 instead of losing their usage. A row
/// whose month has no partition yet is not refused either: the writer makes the partition and writes the batch again.
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
    private readonly UsagePartitions _partitions;
    private NpgsqlConnection? _connection;
    private readonly SemaphoreSlim _session = new(1, 1);
    private readonly Counter<long> _written;
    private readonly Counter<long> _failures;
    private readonly Histogram<double> _batchDuration;

    public const string MeterName = "LlmTr.Billing";

    public UsageWriter(
        NpgsqlDataSource dataSource, AccountCredits credits, UsagePartitions partitions, IOptions<BillingOptions> options, ILogger<UsageWriter> logger,
        IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        meter.CreateObservableGauge("llmtr.usage.pending", () => Reserved, unit: "{row}",
            description: "Usage rows queued, being written, or reserved by running requests; at Billing:UsageQueueCapacity new requests get 503");
        _written = meter.CreateCounter<long>("llmtr.usage.rows_written", unit: "{row}", description: "Usage rows committed by this host's writer (a retried duplicate is counted, not billed)");
        _failures = meter.CreateCounter<long>("llmtr.usage.write_failures", description: "Usage batches that failed to write and will be retried");
        _batchDuration = meter.CreateHistogram<double>("llmtr.usage.batch.duration", unit: "s", description: "Time to write one usage batch (COPY, ledger, key spend, balances, notice)");
        _dataSource = dataSource;
        _partitions = partitions;
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
        finally
        {
            // Unless a batch still holds the session (the host stopped waiting for it): that batch keeps its connection to the end.
            if (await _session.WaitAsync(TimeSpan.Zero, CancellationToken.None))
            {
                try
                {
                    await DropConnectionAsync();
                }
                finally
                {
                    _session.Release();
                }
            }
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
            catch (PostgresException e) when (UsagePartitions.IsMissingPartition(e))
            {
                // A month without a partition yet (the jobs that make them ahead did not run): make it and write again.
                // Never a refusal: the rows are kept until their partition exists.
                if (await TryCreatePartitionsAsync(batch, stoppingToken))
                {
                    continue;
                }
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
                foreach (var account in UsageBatch.Accounts(batch))
                {
                    _credits.Settle(account, state: null);
                }

                return;
            }
            catch (Exception e) when (e is not OperationCanceledException and not ObjectDisposedException)
            {
                // The database is away (or something unforeseen failed): the rows are money, so keep them and retry.
                // A retry never writes a row twice, even when the failed attempt's commit went through unseen.
                _failures.Add(1);
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
                continue;
            }

            // The partition could not be made (or was made and the rows still found none): wait as for an absent database.
            await Task.Delay(delay, stoppingToken);
            delay = delay * 2 > maxDelay ? maxDelay : delay * 2;
        }
    }

    /// <returns>Whether a partition was made (or found made by another host), so the batch is worth writing again at once.</returns>
    private async Task<bool> TryCreatePartitionsAsync(List<PricedUsage> batch, CancellationToken stoppingToken)
    {
        var months = batch.Select(u => u.Month).Distinct().ToList();
        try
        {
            var made = await _partitions.EnsureAsync(months, stoppingToken);
            LogPartitionMissing(_logger, batch.Count, made);
            return made > 0;
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            LogPartitionNotCreated(_logger, e, batch.Count);
            return false;
        }
    }

    /// <summary>
    /// One transaction: the rows go to a session-local staging table by binary COPY; one batch of statements then moves
    /// the new ones into <c>billing.usage_records</c> (a request id already there is skipped, so a retried batch never
    /// debits twice), appends one usage debit per account to the ledger, moves key spend and balances, returns each
    /// account's state for this host's in-memory credit, and notifies every host.
    /// </summary>
    private async Task WriteBatchAsync(List<PricedUsage> batch)
    {
        var accounts = UsageBatch.Accounts(batch);
        Dictionary<string, LoadedAccount> states;
        var started = Stopwatch.GetTimestamp();
        await _session.WaitAsync(); // a drain that outlived the host's patience never shares the session with a batch under way
        try
        {
            states = await WriteInSessionAsync(batch, accounts);
        }
        finally
        {
            _session.Release();
        }

        _batchDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds);
        _written.Add(batch.Count);

        foreach (var account in accounts)
        {
            _credits.Settle(account, states.GetValueOrDefault(account.AccountId));
        }
    }

    private async Task<Dictionary<string, LoadedAccount>> WriteInSessionAsync(List<PricedUsage> batch, List<AccountBatch> accounts)
    {
        var connection = await ConnectionAsync();
        Dictionary<string, LoadedAccount> states;
        try
        {
            await using var transaction = await connection.BeginTransactionAsync();
            await CopyAsync(connection, UsageBatch.FirstOfEachRequest(batch));
            states = await DebitAsync(connection, accounts, batch[0].RecordedAt);
            foreach (var state in states.Values)
            {
                _credits.Expect(state.AccountId, state.Version);
            }

            try
            {
                await transaction.CommitAsync();
            }
            catch
            {
                foreach (var state in states.Values)
                {
                    _credits.Abandon(state.AccountId, state.Version);
                }

                throw;
            }
        }
        catch (Exception e)
        {
            // A refusal leaves the session as it was; anything else (a lost connection above all) starts a new one.
            if (e is not PostgresException || connection.FullState != ConnectionState.Open)
            {
                await DropConnectionAsync();
            }

            throw;
        }

        return states;
    }

    /// <summary>The writer's own session, kept between batches: its staging table and prepared statements live there.</summary>
    private async Task<NpgsqlConnection> ConnectionAsync()
    {
        if (_connection is { FullState: ConnectionState.Open } open)
        {
            return open;
        }

        await DropConnectionAsync();
        var connection = await _dataSource.OpenConnectionAsync();
        try
        {
            await using var create = new NpgsqlCommand(UsageSql.CreateStaging, connection);
            await create.ExecuteNonQueryAsync();
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }

        _connection = connection;
        return connection;
    }

    private async Task DropConnectionAsync()
    {
        var connection = Interlocked.Exchange(ref _connection, null);
        if (connection is not null)
        {
            try
            {
                await connection.DisposeAsync();
            }
            catch (Exception e) when (e is NpgsqlException or IOException or TimeoutException or ObjectDisposedException)
            {
                // Already broken: nothing to give back.
            }
        }
    }

    private static async Task CopyAsync(NpgsqlConnection connection, List<PricedUsage> rows)
    {
        await using var import = await connection.BeginBinaryImportAsync(UsageSql.CopyStaging);
        foreach (var usage in rows)
        {
            var report = usage.Report;
            var counts = report.Counts;
            await import.StartRowAsync();
            await import.WriteAsync(report.RequestId, NpgsqlDbType.Text);
            await import.WriteAsync(report.AccountId, NpgsqlDbType.Text);
            await import.WriteAsync(report.KeyId, NpgsqlDbType.Uuid);
            await import.WriteAsync(report.SpendKeyId, NpgsqlDbType.Uuid);
            await import.WriteAsync(report.ModelId, NpgsqlDbType.Text);
            await import.WriteAsync(report.StartedAt.UtcDateTime, NpgsqlDbType.TimestampTz);
            await import.WriteAsync((int)Math.Clamp(report.Latency.TotalMilliseconds, 0, int.MaxValue), NpgsqlDbType.Integer);
            await import.WriteAsync(OutcomeName(report.Outcome), NpgsqlDbType.Text);
            await import.WriteAsync(report.HttpStatus, NpgsqlDbType.Integer);
            await import.WriteAsync(counts.PromptTokens, NpgsqlDbType.Bigint);
            await import.WriteAsync(counts.CompletionTokens, NpgsqlDbType.Bigint);
            await import.WriteAsync(counts.CachedPromptTokens, NpgsqlDbType.Bigint);
            await import.WriteAsync(counts.ReasoningTokens, NpgsqlDbType.Bigint);
            await import.WriteAsync(counts.Images, NpgsqlDbType.Integer);
            await import.WriteAsync(counts.AudioMinutes, NpgsqlDbType.Numeric);
            await import.WriteAsync(usage.Cost, NpgsqlDbType.Numeric);
            await import.WriteAsync(report.ProcessedIn as string[] ?? [.. report.ProcessedIn], NpgsqlDbType.Array | NpgsqlDbType.Text);
            await import.WriteAsync(report.Streamed, NpgsqlDbType.Boolean);
            await import.WriteAsync(usage.RecordedAt.UtcDateTime, NpgsqlDbType.TimestampTz);
            await import.WriteAsync(usage.Month, NpgsqlDbType.Date);
            await WriteTextOrNullAsync(import, report.ErrorCode);
            await WriteTextOrNullAsync(import, report.ErrorMessage);
            await import.WriteAsync(counts.CacheWrite5mTokens, NpgsqlDbType.Bigint);
            await import.WriteAsync(counts.CacheWrite1hTokens, NpgsqlDbType.Bigint);
            await import.WriteAsync(counts.AudioPromptTokens, NpgsqlDbType.Bigint);
            await import.WriteAsync(counts.AudioCompletionTokens, NpgsqlDbType.Bigint);
            await import.WriteAsync(counts.ImagePromptTokens, NpgsqlDbType.Bigint);
            await import.WriteAsync(counts.ImageCompletionTokens, NpgsqlDbType.Bigint);
            await WriteTextOrNullAsync(import, counts.ImageVariant);
            await import.WriteAsync(counts.WebSearches, NpgsqlDbType.Integer);
            await import.WriteAsync(counts.ToolCalls, NpgsqlDbType.Integer);
            await WriteTextOrNullAsync(import, report.Deployment);
            await (report.UpstreamLatencyMs is { } upstreamMs ? import.WriteAsync(upstreamMs, NpgsqlDbType.Integer) : import.WriteNullAsync());
            await (report.MemberSpendId != Guid.Empty ? import.WriteAsync(report.MemberSpendId, NpgsqlDbType.Uuid) : import.WriteNullAsync());
        }

        await import.CompleteAsync();
    }

    private static Task WriteTextOrNullAsync(NpgsqlBinaryImporter import, string? value) =>
        value is null ? import.WriteNullAsync() : import.WriteAsync(value, NpgsqlDbType.Text);

    /// <returns>Each account's state after its debit, read under its row lock.</returns>
    private async Task<Dictionary<string, LoadedAccount>> DebitAsync(NpgsqlConnection connection, List<AccountBatch> accounts, DateTimeOffset at)
    {
        var accountIds = new string[accounts.Count];
        for (var i = 0; i < accounts.Count; i++)
        {
            accountIds[i] = accounts[i].AccountId; // in ordinal order: one lock order on every host
        }

        var utc = at.UtcDateTime;
        await using var debit = new NpgsqlBatch(connection);
        debit.BatchCommands.Add(Command(UsageSql.MoveStaged, ("currency", _credits.Currency)));
        debit.BatchCommands.Add(Command(UsageSql.PostLedgerDebits, ("at", utc), ("currency", _credits.Currency)));
        debit.BatchCommands.Add(Command(UsageSql.AddKeySpend));
        debit.BatchCommands.Add(Command(UsageSql.DebitAccounts, ("at", utc), ("currency", _credits.Currency), ("accounts", accountIds)));
        debit.BatchCommands.Add(Command(UsageSql.ReadKeySpend, ("accounts", accountIds)));
        debit.BatchCommands.Add(Command(UsageSql.Notify, ("channel", BillingDbContext.ChangeChannel), ("accounts", accountIds)));
        await debit.PrepareAsync(); // once per session: later batches find the statements already prepared

        var balances = new List<(string AccountId, decimal Balance, long Version)>(accounts.Count);
        var keys = new Dictionary<string, Dictionary<Guid, KeySpend>>(accounts.Count, StringComparer.Ordinal);
        await using (var reader = await debit.ExecuteReaderAsync())
        {
            do
            {
                while (await reader.ReadAsync())
                {
                    switch (reader.FieldCount)
                    {
                        case UsageSql.DebitAccountsColumns:
                            balances.Add((reader.GetString(0), reader.GetDecimal(1), reader.GetInt64(2)));
                            break;
                        case UsageSql.ReadKeySpendColumns:
                            var accountId = reader.GetString(0);
                            if (!keys.TryGetValue(accountId, out var spend))
                            {
                                keys[accountId] = spend = [];
                            }

                            spend[reader.GetGuid(1)] = new KeySpend(reader.GetDecimal(2), reader.GetFieldValue<DateOnly>(3), reader.GetDecimal(4));
                            break;
                    }
                }
            }
            while (await reader.NextResultAsync());
        }

        var states = new Dictionary<string, LoadedAccount>(balances.Count, StringComparer.Ordinal);
        foreach (var (accountId, balance, version) in balances)
        {
            states[accountId] = new LoadedAccount(accountId, balance, version, keys.GetValueOrDefault(accountId) ?? NoKeys);
        }

        return states;
    }

    private static readonly Dictionary<Guid, KeySpend> NoKeys = [];

    private static string OutcomeName(UsageOutcome outcome) => outcome switch
    {
        UsageOutcome.Succeeded => nameof(UsageOutcome.Succeeded),
        UsageOutcome.Failed => nameof(UsageOutcome.Failed),
        UsageOutcome.Cancelled => nameof(UsageOutcome.Cancelled),
        _ => outcome.ToString(),
    };

    private static NpgsqlBatchCommand Command(string sql, params (string Name, object Value)[] parameters)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter(name, value));
        }

        return command;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} usage rows fell in a month without a partition; {Made} partitions were created for them")]
    private static partial void LogPartitionMissing(ILogger logger, int count, int made);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Count} usage rows fell in a month without a partition, which could not be created; they are kept and retried")]
    private static partial void LogPartitionNotCreated(ILogger logger, Exception exception, int count);

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
