using LlmTr.Identity.Sessions;
using LlmTr.Testing;

namespace LlmTr.IntegrationTests.Jobs;

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
        await Poll.UntilAsync(async () => await SucceededRunsAsync(connectionString) >= 3, "three occurrences to run", TimeSpan.FromMinutes(1));

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
