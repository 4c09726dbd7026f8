using Npgsql;

namespace LlmTr.Host.Database;

/// <summary>
/// The run command's own PostgreSQL: created on first use under the local state folder, started when it is stopped,
/// and stopped again when the process that started it ends (Ctrl+C on the site, or a management command finishing).
/// </summary>
internal sealed partial class LocalDatabase(LocalState state, IConfiguration configuration, ILogger<LocalDatabase> logger) : IDisposable
{
    public const string DatabaseName = "llmtr";

    private readonly Lock _gate = new();
    private PostgresCluster? _startedHere;

    public string EnsureRunning()
    {
        lock (_gate)
        {
            var cluster = new PostgresCluster(new PostgresClusterSettings(
                Path.Combine(state.Directory, "postgres"),
                configuration.GetValue("LocalPostgres:Port", 54320),
                state.ReadOrCreateSecret("postgres-password", () => LocalState.RandomToken(24)),
                Durable: true));

            if (!cluster.IsInitialized)
            {
                LogCreating(logger, cluster.Settings.Directory);
                cluster.Initialize();
            }

            if (!cluster.IsRunning())
            {
                LogStarting(logger, cluster.Settings.Port);
                cluster.Start();
                _startedHere = cluster;
            }

            CreateDatabaseIfMissing(cluster);
            return cluster.ConnectionString(DatabaseName);
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_startedHere is not null)
            {
                LogStopping(logger);
                _startedHere.Stop();
                _startedHere = null;
            }
        }
    }

    private static void CreateDatabaseIfMissing(PostgresCluster cluster)
    {
        using var connection = new NpgsqlConnection(cluster.ConnectionString("postgres") + ";Pooling=false");
        connection.Open();
        using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = @name", connection);
        exists.Parameters.AddWithValue("name", DatabaseName);
        if (exists.ExecuteScalar() is null)
        {
            using var create = new NpgsqlCommand($"CREATE DATABASE \"{DatabaseName}\"", connection);
            create.ExecuteNonQuery();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Creating the local PostgreSQL cluster in {Directory}")]
    private static partial void LogCreating(ILogger logger, string directory);

    [LoggerMessage(Level = LogLevel.Information, Message = "Starting the local PostgreSQL cluster on 127.0.0.1:{Port}")]
    private static partial void LogStarting(ILogger logger, int port);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stopping the local PostgreSQL cluster this process started")]
    private static partial void LogStopping(ILogger logger);
}
