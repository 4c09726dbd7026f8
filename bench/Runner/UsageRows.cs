using System.Diagnostics;
using Npgsql;

namespace LlmTr.Bench.Runner;

/// <summary>LLMTR's usage rows of the benchmark's key, counted in PostgreSQL (billing.usage_records).</summary>
internal sealed class UsageRows(string connectionString, string keyName) : IAsyncDisposable
{
    private readonly NpgsqlDataSource _data = NpgsqlDataSource.Create(connectionString);
    private Guid? _keyId;

    public sealed record Counts(long Succeeded, long Other)
    {
        public long Total => Succeeded + Other;
    }

    public async Task<Counts> CountAsync()
    {
        _keyId ??= await KeyIdAsync();
        await using var command = _data.CreateCommand("""
            SELECT count(*) FILTER (WHERE "Outcome" = 'Succeeded'), count(*) FILTER (WHERE "Outcome" <> 'Succeeded')
            FROM billing.usage_records WHERE "KeyId" = @key
            """);
        command.Parameters.AddWithValue("key", _keyId.Value);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return new Counts(reader.GetInt64(0), reader.GetInt64(1));
    }

    /// <summary>
    /// The count once the batched writer has caught up: at least <paramref name="expectedSucceeded"/> succeeded rows (what
    /// the client saw succeed), then unchanged over two reads a flush interval apart. Waiting for the expected rows first
    /// keeps a slow commit (PostgreSQL flushing a checkpoint on the shared core) from passing for a settled count; rows
    /// that never come still fail the check when <paramref name="timeout"/> runs out.
    /// </summary>
    public async Task<Counts> SettledAsync(TimeSpan timeout, long expectedSucceeded = 0)
    {
        var clock = Stopwatch.StartNew();
        var last = await CountAsync();
        while (clock.Elapsed < timeout)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(700));
            var now = await CountAsync();
            if (now == last && now.Succeeded >= expectedSucceeded)
            {
                return now;
            }

            last = now;
        }

        return last;
    }

    private async Task<Guid> KeyIdAsync()
    {
        await using var command = _data.CreateCommand("""SELECT "Id" FROM keys.api_keys WHERE "Name" = @name ORDER BY "CreatedAt" DESC LIMIT 1""");
        command.Parameters.AddWithValue("name", keyName);
        return await command.ExecuteScalarAsync() is Guid id
            ? id
            : throw new InvalidOperationException($"No API key named '{keyName}' in the database.");
    }

    public ValueTask DisposeAsync() => _data.DisposeAsync();
}
