using LlmTr.Identity.Sessions;
using LlmTr.Testing;

namespace LlmTr.IntegrationTests.Jobs;

/// <summary>
/// Hangfire keeps some process-wide state (its log provider, job filters) that every host configures as it starts.
/// One host per process never notices; two job servers watched while other test hosts start and stop in the same
/// process can, so this class runs alone.
/// </summary>
[Collection(nameof(RunsAlone))]
public sealed class RecurringJobsShould
{
    private static readonly Dictionary<string, string?> EveryTwoSeconds = new()
    {
        ["Jobs:ServerEnabled"] = "true",
        ["Jobs:SchedulePollingInterval"] = "00:00:00.500",
        ["Jobs:QueuePollInterval"] = "00:00:00.200",
        ["Jobs:Identity:PurgeExpiredSessionsCron"] = "*/2 * * * * *",
    };

    [Fact]
    public async Task RunOncePerOccurrenceAcrossTwoHosts()
    {
        var server = await PostgresServer.InstanceAsync();
        var connectionString = await server.CreateMigratedDatabaseAsync();
        await Sql.ExecuteAsync(connectionString, """
            INSERT INTO identity.sessions ("Id", "UserId", "Ticket", "CreatedAt", "ExpiresAt") VALUES
              ('expired', 'u1', '\x00', now() - interval '20 days', now() - interval '1 day'),
              ('current', 'u1', '\x00', now(), now() + interval '1 day')
            """);

        await using var first = new LlmTrHostFactory(connectionString, EveryTwoSeconds);
        await using var second = new LlmTrHostFactory(connectionString, EveryTwoSeconds);
        _ = first.Services;
        _ = second.Services;

        await Poll.UntilAsync(async () => await Sql.CountAsync(connectionString, "SELECT count(*) FROM hangfire.server") == 2, "both job servers to register");
        try
        {
            await Poll.UntilAsync(async () => await SucceededRunsAsync(connectionString) >= 3, "three occurrences to run", TimeSpan.FromMinutes(1));
        }
        catch (TimeoutException e)
        {
            var states = await Sql.RowsAsync(connectionString, "SELECT statename || ': ' || count(*) FROM hangfire.job GROUP BY statename");
            var reasons = await Sql.RowsAsync(connectionString, "SELECT name || ' ' || coalesce(reason, '') || ' ' || coalesce(data::text, '') FROM hangfire.state WHERE name <> 'Succeeded' ORDER BY id DESC LIMIT 5");
            var recurring = await Sql.RowsAsync(connectionString, "SELECT field || '=' || coalesce(value, '') FROM hangfire.hash WHERE key LIKE 'recurring-job:%'");
            throw new TimeoutException($"{e.Message} Jobs: {string.Join(", ", states)}. Latest states: {string.Join(" | ", reasons)}. Recurring: {string.Join(", ", recurring)}", e);
        }

        var duplicated = await Sql.CountAsync(connectionString, $"""
            SELECT count(*) FROM (
              SELECT t.value FROM hangfire.jobparameter r JOIN hangfire.jobparameter t ON t.jobid = r.jobid AND t.name = 'Time'
              WHERE r.name = 'RecurringJobId' AND r.value = '"{PurgeExpiredSessionsJob.RecurringJobId}"'
              GROUP BY t.value HAVING count(*) > 1) AS d
            """);
        Assert.Equal(0, duplicated);
        Assert.Equal(1, await Sql.CountAsync(connectionString, "SELECT count(*) FROM identity.sessions"));
        Assert.Equal(1, await Sql.CountAsync(connectionString, "SELECT count(*) FROM identity.sessions WHERE \"Id\" = 'current'"));
    }

    private static Task<long> SucceededRunsAsync(string connectionString) => Sql.CountAsync(connectionString, $"""
        SELECT count(*) FROM hangfire.job j JOIN hangfire.jobparameter r ON r.jobid = j.id AND r.name = 'RecurringJobId'
        WHERE r.value = '"{PurgeExpiredSessionsJob.RecurringJobId}"' AND j.statename = 'Succeeded'
        """);

}

[CollectionDefinition(nameof(RunsAlone), DisableParallelization = true)]
public sealed class RunsAlone;
