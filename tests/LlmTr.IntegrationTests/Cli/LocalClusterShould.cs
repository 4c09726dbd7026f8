using LlmTr.Host.Database;
using LlmTr.Testing;

namespace LlmTr.IntegrationTests.Cli;

/// <summary>The run command's own database: what a newcomer without ConnectionStrings__Postgres gets.</summary>
public sealed class LocalClusterShould : IDisposable
{
    private readonly string _state = Path.Combine(Path.GetTempPath(), "llmtr-local-cluster-test", Guid.NewGuid().ToString("N"));
    private readonly Dictionary<string, string> _environment;

    public LocalClusterShould() => _environment = new()
    {
        ["LocalState__Directory"] = _state,
        ["LocalPostgres__Port"] = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    [Fact]
    public async Task BeCreatedStartedAndStoppedAgainByACommandThatNeededIt()
    {
        var first = await HostProcess.RunAsync(null, _environment, "migrate");

        Assert.True(first.ExitCode == 0, first.StandardError);
        Assert.Contains("Creating the local PostgreSQL cluster", first.StandardError, StringComparison.Ordinal);
        Assert.Contains("Stopping the local PostgreSQL cluster this process started", first.StandardError, StringComparison.Ordinal);
        Assert.False(Cluster().IsRunning());
        Assert.True(File.Exists(Path.Combine(_state, "postgres-password")), "the cluster's password is generated and kept locally");

        var second = await HostProcess.RunAsync(null, _environment, "users", "create", "--email", "local@llmtr.test", "--password", "Strong-Pass-2026");

        Assert.True(second.ExitCode == 0, second.StandardError);
        Assert.DoesNotContain("Creating the local PostgreSQL cluster", second.StandardError, StringComparison.Ordinal);
        Assert.False(Cluster().IsRunning());
    }

    public void Dispose()
    {
        var cluster = Cluster();
        if (cluster.IsInitialized && cluster.IsRunning())
        {
            cluster.Stop(immediate: true);
        }

        if (Directory.Exists(_state))
        {
            Directory.Delete(_state, recursive: true);
        }
    }

    private PostgresCluster Cluster() => new(new PostgresClusterSettings(Path.Combine(_state, "postgres"), 0, null, Durable: true));
}
