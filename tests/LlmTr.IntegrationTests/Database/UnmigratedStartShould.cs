using LlmTr.Testing;

namespace LlmTr.IntegrationTests.Database;

/// <summary>
/// A host told not to migrate (a deployment step runs <c>migrate</c>) checks that the step ran: nothing else installs a
/// schema at start, Hangfire's included, so a database without them is refused at once, naming the command to run.
/// </summary>
public sealed class UnmigratedStartShould
{
    [Fact]
    public async Task RefuseToStartOnADatabaseTheMigrateCommandNeverRanOn()
    {
        var server = await PostgresServer.InstanceAsync();
        // The shared template first: Hangfire's installer takes its logger from process-wide state the first time it
        // runs, and this host, the one that sets that state otherwise, is gone before anything installs.
        await server.CreateMigratedDatabaseAsync();
        await using var host = new LlmTrHostFactory(await server.CreateEmptyDatabaseAsync(), new Dictionary<string, string?> { ["Database:MigrateOnStart"] = "false" });

        var refused = Record.Exception(() => _ = host.Services);

        Assert.NotNull(refused);
        var messages = string.Join(" | ", Chain(refused));
        Assert.Contains("has not been migrated", messages, StringComparison.Ordinal);
        Assert.Contains("hangfire", messages, StringComparison.Ordinal);
        Assert.Contains("migrate", messages, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartWithoutMigratingOnAMigratedDatabase()
    {
        var server = await PostgresServer.InstanceAsync();
        await using var host = new LlmTrHostFactory(await server.CreateMigratedDatabaseAsync(), new Dictionary<string, string?> { ["Database:MigrateOnStart"] = "false" });
        using var client = host.CreateClient();

        using var ready = await client.GetAsync(new Uri("/health/ready", UriKind.Relative));

        Assert.Equal(System.Net.HttpStatusCode.OK, ready.StatusCode);
    }

    private static IEnumerable<string> Chain(Exception? exception)
    {
        for (; exception is not null; exception = exception.InnerException)
        {
            yield return exception.Message;
            if (exception is AggregateException aggregate)
            {
                foreach (var inner in aggregate.InnerExceptions.SelectMany(Chain))
                {
                    yield return inner;
                }
            }
        }
    }
}
