using System.Globalization;
using Npgsql;

namespace LlmTr.Bench.Usage;

/// <summary>The benchmark's own look at LLMTR's database: rows stored, the ledger, PostgreSQL's counters and settings.</summary>
internal sealed class Database(string connectionString) : IAsyncDisposable
{
    private readonly NpgsqlDataSource _data = NpgsqlDataSource.Create(connectionString);

    /// <summary>PostgreSQL's own counters for the database, and the WAL position (bytes written since the cluster began).</summary>
    public sealed record Counters(long Commits, long Inserted, long Updated, decimal WalBytes);

    /// <summary>What a case left in the database for its accounts.</summary>
    public sealed record Stored(long Rows, decimal Cost, long LedgerRequests, decimal LedgerDebits, decimal Balances);

    public async Task<long> RowsAsync(string[] accounts)
    {
        await using var command = _data.CreateCommand("""SELECT count(*) FROM billing.usage_records WHERE "AccountId" = ANY(@accounts)""");
        command.Parameters.AddWithValue("accounts", accounts);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    public async Task<Stored> StoredAsync(string[] accounts)
    {
        await using var command = _data.CreateCommand("""
            SELECT (SELECT count(*) FROM billing.usage_records WHERE "AccountId" = ANY(@accounts)),
                   (SELECT coalesce(sum("Cost"), 0) FROM billing.usage_records WHERE "AccountId" = ANY(@accounts)),
                   (SELECT coalesce(sum("RequestCount"), 0) FROM billing.ledger_entries WHERE "AccountId" = ANY(@accounts) AND "Kind" = 'UsageDebit'),
                   (SELECT coalesce(-sum("Amount"), 0) FROM billing.ledger_entries WHERE "AccountId" = ANY(@accounts) AND "Kind" = 'UsageDebit'),
                   (SELECT coalesce(sum("Balance"), 0) FROM billing.accounts WHERE "AccountId" = ANY(@accounts))
            """);
        command.Parameters.AddWithValue("accounts", accounts);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return new Stored(reader.GetInt64(0), reader.GetDecimal(1), reader.GetInt64(2), reader.GetDecimal(3), reader.GetDecimal(4));
    }

    public async Task<Counters> CountersAsync()
    {
        await using var command = _data.CreateCommand("""
            SELECT xact_commit, tup_inserted, tup_updated, pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')
            FROM pg_stat_database WHERE datname = current_database()
            """);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return new Counters(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetDecimal(3));
    }

    public async Task<string> SettingAsync(string name)
    {
        await using var command = _data.CreateCommand("SELECT current_setting(@name)");
        command.Parameters.AddWithValue("name", name);
        return (string)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>The postmaster's process id, as the server reports it for its own data directory.</summary>
    public async Task<int> PostmasterIdAsync()
    {
        var dataDirectory = await SettingAsync("data_directory");
        var first = (await File.ReadAllLinesAsync(Path.Combine(dataDirectory, "postmaster.pid")))[0];
        return int.Parse(first, CultureInfo.InvariantCulture);
    }

    public ValueTask DisposeAsync() => _data.DisposeAsync();
}
