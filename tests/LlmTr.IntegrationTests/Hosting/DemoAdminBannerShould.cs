using LlmTr.Testing;

namespace LlmTr.IntegrationTests.Hosting;

/// <summary>Issue 18, finding 1: the demo admin's password reaches the console once, when that admin is created.</summary>
public sealed class DemoAdminBannerShould
{
    // Issue 18, finding 1: the password used to be printed on every start (and for an admin made by an earlier start).
    [Fact]
    public async Task PrintTheGeneratedPasswordOnceWhenTheAdminIsCreatedAndNotOnLaterStarts()
    {
        var database = await (await PostgresServer.InstanceAsync()).CreateMigratedDatabaseAsync();
        var localState = Path.Combine(Path.GetTempPath(), "llmtr-test-state", Guid.NewGuid().ToString("N"));
        var settings = new Dictionary<string, string>
        {
            ["Demo__Enabled"] = "true",
            ["Demo__AdminEmail"] = "banner-admin@llmtr.test",
            ["LocalState__Directory"] = localState,
            ["Logging__LogLevel__Default"] = "Information", // anything logged at start is seen too
        };
        try
        {
            string password;
            await using (var first = await HostServer.StartAsync(database, settings))
            {
                await Poll.UntilAsync(() => Task.FromResult(first.Output.Contains("LLMTR is running at", StringComparison.Ordinal)), "the start-up banner");
                password = (await File.ReadAllTextAsync(Path.Combine(localState, "demo-admin-password"))).Trim();
                Assert.Equal(1, Occurrences(first.Output, password));
            }

            await using var second = await HostServer.StartAsync(database, settings);
            await Poll.UntilAsync(() => Task.FromResult(second.Output.Contains("LLMTR is running at", StringComparison.Ordinal)), "the start-up banner");
            Assert.Equal(0, Occurrences(second.Output, password));
            Assert.Contains("banner-admin@llmtr.test", second.Output, StringComparison.Ordinal);
        }
        finally
        {
            if (Directory.Exists(localState))
            {
                Directory.Delete(localState, recursive: true);
            }
        }
    }

    private static int Occurrences(string text, string value)
    {
        var count = 0;
        for (var at = text.IndexOf(value, StringComparison.Ordinal); at >= 0; at = text.IndexOf(value, at + value.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
