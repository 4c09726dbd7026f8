using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace LlmTr.Modules.Billing.Usage;

/// <summary>
/// The monthly partitions of <c>billing.usage_records</c> (one per UTC month of <c>StartedAt</c>, named
/// <c>usage_records_yyyy_MM</c>). Partitions are made ahead (at start and by a daily job) and, as a last resort, by the
/// usage writer when a row finds none; whole months older than the retention period are dropped once the daily roll-up
/// holds every one of their days. There is no DEFAULT partition: a row outside every partition is refused, never kept
/// somewhere it would block the next month's partition.
/// </summary>
internal sealed partial class UsagePartitions(NpgsqlDataSource dataSource, ILogger<UsagePartitions> logger)
{
    public const string Prefix = "usage_records_";

    /// <summary>Waits this long at most for the table to be free to drop a partition; the next run tries again.</summary>
    private static readonly TimeSpan DropLockTimeout = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Creates the partitions of the given months (any day of each) that do not exist yet; several hosts may call it at
    /// once. Returns how many it made.
    /// </summary>
    public async Task<int> EnsureAsync(IEnumerable<DateOnly> months, CancellationToken cancellationToken = default)
    {
        var firsts = months.Select(UsageMonths.FirstOf).Distinct().Order().ToArray();
        if (firsts.Length == 0)
        {
            return 0;
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var create = new NpgsqlCommand(
            "SELECT count(*) FILTER (WHERE made) FROM (SELECT billing.create_usage_partition(m) AS made FROM unnest(@months) AS m ORDER BY m) AS created", connection);
        create.Parameters.AddWithValue("months", firsts);
        var made = (int)(long)(await create.ExecuteScalarAsync(cancellationToken))!;
        if (made > 0)
        {
            LogCreated(logger, made, firsts[0], firsts[^1]);
        }

        return made;
    }

    /// <summary>The partitions of the current month and of the <paramref name="ahead"/> months after it.</summary>
    public Task<int> EnsureAheadAsync(DateTimeOffset now, int ahead, CancellationToken cancellationToken = default) =>
        EnsureAsync(UsageMonths.Ahead(now, ahead), cancellationToken);

    /// <summary>The months that have a partition, oldest first (tables attached under another name are left out).</summary>
    public async Task<IReadOnlyList<DateOnly>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var list = new NpgsqlCommand("""
            SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
            WHERE i.inhparent = 'billing.usage_records'::regclass
            """, connection);
        var months = new List<DateOnly>();
        await using var reader = await list.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            if (UsageMonths.FromPartitionName(reader.GetString(0)) is { } month)
            {
                months.Add(month);
            }
        }

        months.Sort();
        return months;
    }

    /// <summary>
    /// Drops every partition wholly older than <paramref name="retentionMonths"/> before <paramref name="now"/> whose
    /// days the daily roll-up holds in full (every account, day, key and model with the same requests, tokens and
    /// cost as the rows). A month the roll-up does not match is kept, with a warning, and so is one whose table is busy.
    /// </summary>
    public async Task<PartitionsDropped> DropExpiredAsync(DateTimeOffset now, int retentionMonths, CancellationToken cancellationToken = default)
    {
        var dropped = new List<DateOnly>();
        var kept = new List<DateOnly>();
        foreach (var month in await ListAsync(cancellationToken))
        {
            if (!UsageMonths.IsExpired(month, now, retentionMonths))
            {
                continue;
            }

            if (await TryDropAsync(month, cancellationToken))
            {
                dropped.Add(month);
            }
            else
            {
                kept.Add(month);
            }
        }

        return new PartitionsDropped(dropped, kept);
    }

    private async Task<bool> TryDropAsync(DateOnly month, CancellationToken cancellationToken)
    {
        var name = UsageMonths.PartitionName(month);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var locked = new NpgsqlCommand($"SELECT pg_advisory_xact_lock({LockKey}), to_regclass('billing.{name}') IS NOT NULL", connection, transaction))
        await using (var reader = await locked.ExecuteReaderAsync(cancellationToken))
        {
            if (!await reader.ReadAsync(cancellationToken) || !reader.GetBoolean(1))
            {
                return false; // another host dropped it meanwhile
            }
        }

        await using (var check = new NpgsqlCommand($"""
            SELECT count(*) FROM (
              SELECT "AccountId", ("StartedAt" AT TIME ZONE 'UTC')::date AS "Day", "KeyId", "ModelId", count(*)::bigint AS "Requests",
                sum("PromptTokens")::bigint AS "PromptTokens", sum("CompletionTokens")::bigint AS "CompletionTokens", sum("Cost") AS "Cost"
              FROM billing.{name}
              GROUP BY 1, 2, 3, 4
              EXCEPT
              SELECT "AccountId", "Day", "KeyId", "ModelId", "Requests", "PromptTokens", "CompletionTokens", "Cost"
              FROM billing.daily_usage WHERE "Day" >= @from AND "Day" < @to) AS missing
            """, connection, transaction))
        {
            check.Parameters.AddWithValue("from", month);
            check.Parameters.AddWithValue("to", month.AddMonths(1));
            check.CommandTimeout = 0; // a whole month of rows
            var missing = (long)(await check.ExecuteScalarAsync(cancellationToken))!;
            if (missing > 0)
            {
                LogNotRolledUp(logger, month, missing, month, month.AddMonths(1).AddDays(-1));
                return false;
            }
        }

        try
        {
            // DROP needs the whole table for a moment: rather than queue every usage write behind a long read, give up and try next run.
            await using var drop = new NpgsqlCommand(
                $"SET LOCAL lock_timeout = {(int)DropLockTimeout.TotalMilliseconds}; DROP TABLE billing.{name}", connection, transaction);
            await drop.ExecuteNonQueryAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.LockNotAvailable)
        {
            LogBusy(logger, month);
            return false;
        }

        LogDropped(logger, month);
        return true;
    }

    /// <summary>Whether a write failed because a row's month has no partition (PostgreSQL names no constraint then).</summary>
    public static bool IsMissingPartition(PostgresException e) =>
        e.SqlState == PostgresErrorCodes.CheckViolation && e.ConstraintName is null && e.TableName == "usage_records";

    /// <summary>The advisory lock the partition function takes too: creating and dropping take turns across hosts.</summary>
    private const long LockKey = 21475993240862977;

    [LoggerMessage(Level = LogLevel.Information, Message = "Created {Count} usage partitions ({First:yyyy-MM} to {Last:yyyy-MM})")]
    private static partial void LogCreated(ILogger logger, int count, DateOnly first, DateOnly last);

    [LoggerMessage(Level = LogLevel.Information, Message = "Dropped the usage partition of {Month:yyyy-MM}: older than the retention period, and its days are in the daily roll-up")]
    private static partial void LogDropped(ILogger logger, DateOnly month);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The usage partition of {Month:yyyy-MM} is past the retention period but was kept: {Groups} account/day/key/model totals of its rows are missing from the daily roll-up or differ from it. Recompute them with the management command 'usage roll-up --from {First:yyyy-MM-dd} --to {Last:yyyy-MM-dd}'; the next run then drops the partition")]
    private static partial void LogNotRolledUp(ILogger logger, DateOnly month, long groups, DateOnly first, DateOnly last);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The usage partition of {Month:yyyy-MM} is past the retention period but the table was busy; the next run tries again")]
    private static partial void LogBusy(ILogger logger, DateOnly month);
}

/// <param name="Dropped">Months whose partition was dropped.</param>
/// <param name="Kept">Expired months kept: not rolled up in full, or the table was busy.</param>
internal sealed record PartitionsDropped(IReadOnlyList<DateOnly> Dropped, IReadOnlyList<DateOnly> Kept);

/// <summary>The calendar of usage partitions: UTC months, their names, and when a month's raw rows have expired.</summary>
internal static partial class UsageMonths
{
    public static DateOnly FirstOf(DateOnly day) => new(day.Year, day.Month, 1);

    public static DateOnly MonthOf(DateTimeOffset at)
    {
        var utc = at.UtcDateTime;
        return new DateOnly(utc.Year, utc.Month, 1);
    }

    /// <summary>The current month and the <paramref name="ahead"/> months after it.</summary>
    public static IEnumerable<DateOnly> Ahead(DateTimeOffset now, int ahead)
    {
        var month = MonthOf(now);
        for (var i = 0; i <= ahead; i++)
        {
            yield return month.AddMonths(i);
        }
    }

    public static string PartitionName(DateOnly month) =>
        UsagePartitions.Prefix + month.ToString("yyyy_MM", CultureInfo.InvariantCulture);

    public static DateOnly? FromPartitionName(string name)
    {
        var match = PartitionNamePattern().Match(name);
        return match.Success
            ? new DateOnly(int.Parse(match.Groups[1].ValueSpan, CultureInfo.InvariantCulture), int.Parse(match.Groups[2].ValueSpan, CultureInfo.InvariantCulture), 1)
            : null;
    }

    /// <summary>
    /// Whether every row of the month is older than the retention period: the month ended at least
    /// <paramref name="retentionMonths"/> months before <paramref name="now"/>. So a row is kept at least that long.
    /// </summary>
    public static bool IsExpired(DateOnly month, DateTimeOffset now, int retentionMonths) =>
        UsageHistory.StartOf(FirstOf(month).AddMonths(1 + retentionMonths)) <= now;

    /// <summary>
    /// The first day whose per-request rows are certainly still kept: the start of the month that began
    /// <paramref name="retentionMonths"/> months before the current one. Older rows may already be gone.
    /// </summary>
    public static DateOnly RawKeptFrom(DateTimeOffset now, int retentionMonths) => MonthOf(now).AddMonths(-retentionMonths);

    [GeneratedRegex(@"^usage_records_(\d{4})_(0[1-9]|1[0-2])$", RegexOptions.CultureInvariant)]
    private static partial Regex PartitionNamePattern();
}
