using System.Diagnostics;
using LlmTr.Host.Database;
using Npgsql;

namespace LlmTr.Testing;

/// <summary>
/// The one PostgreSQL server of a test run: the server named by <c>LLMTR_TEST_POSTGRES</c> (a connection string with
/// rights to create databases), or else a throwaway cluster made for this test process and removed when it exits.
/// Databases are cheap copies of a template migrated once per process.
/// </summary>
public sealed class PostgresServer
{
    private static readonly string ClustersRoot = Path.Combine(Path.GetTempPath(), "llmtr-test-clusters");
    private static readonly Lazy<Task<PostgresServer>> Shared = new(StartAsync);

    private readonly string _adminConnectionString;
    private readonly Lazy<Task<string>> _template;

    private PostgresServer(string adminConnectionString)
    {
        _adminConnectionString = adminConnectionString;
        _template = new Lazy<Task<string>>(CreateTemplateAsync);
    }

    public static Task<PostgresServer> InstanceAsync() => Shared.Value;

    /// <summary>A new, empty database (no schema at all).</summary>
    public async Task<string> CreateEmptyDatabaseAsync()
    {
        var name = NewDatabaseName();
        await ExecuteAsync($"CREATE DATABASE \"{name}\"");
        return ConnectionStringFor(name);
    }

    /// <summary>A new database with every migration applied, copied from the template in milliseconds.</summary>
    public async Task<string> CreateMigratedDatabaseAsync()
    {
        var template = await _template.Value;
        var name = NewDatabaseName();
        await ExecuteAsync($"CREATE DATABASE \"{name}\" TEMPLATE \"{template}\"");
        return ConnectionStringFor(name);
    }

    public string ConnectionStringFor(string database) =>
        new NpgsqlConnectionStringBuilder(_adminConnectionString) { Database = database }.ConnectionString;

    private async Task<string> CreateTemplateAsync()
    {
        var name = $"llmtr_template_{Guid.NewGuid():N}";
        await ExecuteAsync($"CREATE DATABASE \"{name}\"");
        await using (var factory = new LlmTrHostFactory(ConnectionStringFor(name)))
        {
            _ = factory.Services; // starting the host migrates the database
        }

        // A template cannot be copied while anything is connected to it.
        NpgsqlConnection.ClearAllPools();
        return name;
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_adminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static string NewDatabaseName() => $"llmtr_test_{Guid.NewGuid():N}";

    private static Task<PostgresServer> StartAsync()
    {
        var external = Environment.GetEnvironmentVariable("LLMTR_TEST_POSTGRES");
        if (!string.IsNullOrWhiteSpace(external))
        {
            return Task.FromResult(new PostgresServer(external));
        }

        RemoveOrphanedClusters();
        var directory = Path.Combine(ClustersRoot, $"{Environment.ProcessId}-{Guid.NewGuid():N}"[..20]);
        var cluster = new PostgresCluster(new PostgresClusterSettings(directory, FreePort.Next(), Password: null, Durable: false));
        cluster.Initialize();
        cluster.Start();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => RemoveDetached(directory);
        return Task.FromResult(new PostgresServer(cluster.ConnectionString("postgres") + ";Pooling=true;Maximum Pool Size=50"));
    }

    /// <summary>
    /// A test process that was killed cannot stop its cluster; a later one does. The owner's process id leads the
    /// folder's name, so a cluster still being created by a live process (test projects run side by side) is never
    /// taken for an orphan.
    /// </summary>
    private static void RemoveOrphanedClusters()
    {
        if (!Directory.Exists(ClustersRoot))
        {
            return;
        }

        foreach (var directory in Directory.GetDirectories(ClustersRoot))
        {
            var owner = Path.GetFileName(directory).Split('-')[0];
            if (!int.TryParse(owner, out var pid) || IsAlive(pid))
            {
                continue;
            }

            var settings = new PostgresClusterSettings(directory, 0, null, Durable: false);
            Remove(new PostgresCluster(settings), directory);
        }
    }

    private static void Remove(PostgresCluster cluster, string directory)
    {
        try
        {
            if (cluster.IsInitialized)
            {
                cluster.Stop(immediate: true);
            }

            Directory.Delete(directory, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or PostgresUnavailableException)
        {
            Console.Error.WriteLine($"Could not remove test cluster {directory}: {e.Message}");
        }
    }

    /// <summary>
    /// The test runner kills its test process soon after the last test, often before a stop could finish, so the stop
    /// and the deletion run in a process of their own that outlives this one.
    /// </summary>
    private static void RemoveDetached(string directory)
    {
        var pgCtl = Path.Combine(PostgresCluster.FindBinDirectory() ?? "/usr/bin", "pg_ctl");
        var stop = Environment.IsPrivilegedProcess ? "runuser -u postgres -- \"$0\" stop -D \"$1/data\" -m immediate -w" : "\"$0\" stop -D \"$1/data\" -m immediate -w";
        var cleanup = new ProcessStartInfo("setsid", ["-f", "sh", "-c", $"{stop} >/dev/null 2>&1; rm -rf \"$1\"", pgCtl, directory])
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        Process.Start(cleanup)?.Dispose();
    }

    private static bool IsAlive(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
