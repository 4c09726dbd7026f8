using LlmTr.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace LlmTr.IntegrationTests.Cli;

/// <summary>The host's command line, run as an operator runs it: a separate process with its exit code.</summary>
public sealed class ManagementCommandsShould
{
    [Fact]
    public async Task CreateAnAdminOnceAndRefuseADuplicate()
    {
        var server = await PostgresServer.InstanceAsync();
        var connectionString = await server.CreateMigratedDatabaseAsync();

        var created = await HostProcess.RunAsync(connectionString, "users", "create", "--email", "ops@llmtr.test", "--password", "Strong-Pass-2026", "--admin");
        var duplicate = await HostProcess.RunAsync(connectionString, "users", "create", "--email", "ops@llmtr.test", "--password", "Strong-Pass-2026");

        Assert.True(created.ExitCode == 0, created.StandardError);
        Assert.Equal("Created admin ops@llmtr.test.", created.StandardOutput.Trim());
        Assert.Equal(1, duplicate.ExitCode);
        Assert.Contains("ops@llmtr.test", duplicate.StandardError, StringComparison.Ordinal);
        Assert.Equal(["Admin", "Developer"], await RolesOfAsync(connectionString, "ops@llmtr.test"));
    }

    [Fact]
    public async Task RefuseAWeakPasswordWithoutCreatingAnything()
    {
        var server = await PostgresServer.InstanceAsync();
        var connectionString = await server.CreateMigratedDatabaseAsync();

        var result = await HostProcess.RunAsync(connectionString, "users", "create", "--email", "weak@llmtr.test", "--password", "short");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("at least 10 characters", result.StandardError, StringComparison.Ordinal);
        Assert.Empty(await RolesOfAsync(connectionString, "weak@llmtr.test"));
    }

    [Fact]
    public async Task AnswerBadArgumentsWithUsageAndExitCodeTwo()
    {
        var result = await HostProcess.RunAsync(null, "users", "create", "--email", "x@y.tr");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("'users create' needs --password.", result.StandardError, StringComparison.Ordinal);
        Assert.Contains("Usage:", result.StandardError, StringComparison.Ordinal);
        Assert.Empty(result.StandardOutput);
    }

    [Fact]
    public async Task ExplainAnUnreachableDatabaseWithoutAStackTrace()
    {
        var result = await HostProcess.RunAsync("Host=127.0.0.1;Port=1;Database=none;Username=x;Password=not-shown;Timeout=2", "migrate");

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("migrate failed:", result.StandardError.Trim(), StringComparison.Ordinal);
        Assert.DoesNotContain("not-shown", result.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.StandardError, StringComparison.Ordinal);
    }

    private static Task<List<string>> RolesOfAsync(string connectionString, string email) => Sql.RowsAsync(connectionString, """
        SELECT r."Name" FROM identity."AspNetUsers" u
        JOIN identity."AspNetUserRoles" ur ON ur."UserId" = u."Id" JOIN identity."AspNetRoles" r ON r."Id" = ur."RoleId"
        WHERE u."NormalizedEmail" = upper(@email) ORDER BY 1
        """, ("email", email));
}

public sealed class KeysCommandShould
{
    [Fact]
    public async Task PrintTheRawKeyAloneOnceAndMakeAKeyThatWorks()
    {
        var server = await PostgresServer.InstanceAsync();
        var connectionString = await server.CreateMigratedDatabaseAsync();
        await using var host = new LlmTrHostFactory(connectionString);
        var user = await TestAccounts.CreateUserAsync(host);
        var email = (await Sql.RowsAsync(connectionString, "SELECT \"Email\" FROM identity.\"AspNetUsers\" WHERE \"Id\" = @id", ("id", user))).Single();

        var created = await HostProcess.RunAsync(connectionString, "keys", "create", "--email", email, "--name", "ci");
        var unknown = await HostProcess.RunAsync(connectionString, "keys", "create", "--email", "nobody@llmtr.test");

        Assert.True(created.ExitCode == 0, created.StandardError);
        var rawKey = created.StandardOutput.Trim();
        Assert.Matches("^llmtr-[A-Za-z0-9_-]{43}$", rawKey);
        Assert.DoesNotContain(rawKey, created.StandardError, StringComparison.Ordinal);
        var authenticator = host.Services.GetRequiredService<LlmTr.Modules.Keys.Contracts.IApiKeyAuthenticator>();
        await Poll.UntilAsync(() => Task.FromResult(authenticator.Authenticate(rawKey).Identity?.Name == "ci"), "the host to accept the new key");
        Assert.Equal(1, unknown.ExitCode);
        Assert.Contains("nobody@llmtr.test", unknown.StandardError, StringComparison.Ordinal);
    }
}

public sealed class CreditsCommandShould
{
    [Fact]
    public async Task GrantCreditAsAnAuditedAdjustmentAndRefuseWhatMakesNoSense()
    {
        var server = await PostgresServer.InstanceAsync();
        var connectionString = await server.CreateMigratedDatabaseAsync();
        string email;
        await using (var host = new LlmTrHostFactory(connectionString))
        {
            var user = await TestAccounts.CreateUserAsync(host);
            email = await Billing.BillingTesting.EmailOfAsync(host, user);
        }

        var granted = await HostProcess.RunAsync(connectionString, "credits", "grant", "--email", email, "--amount", "12.50", "--reason", "Launch promotion");
        var unknown = await HostProcess.RunAsync(connectionString, "credits", "grant", "--email", "nobody@llmtr.test", "--amount", "5");
        var tooPrecise = await HostProcess.RunAsync(connectionString, "credits", "grant", "--email", email, "--amount", "-1.001");

        Assert.True(granted.ExitCode == 0, granted.StandardError);
        Assert.Equal($"Granted 12.50 USD to {email} (ledger entry 1). Balance: 12.50 USD.", granted.StandardOutput.Trim());
        Assert.Equal(1, unknown.ExitCode);
        Assert.EndsWith("There is no user with the e-mail nobody@llmtr.test.", unknown.StandardError.Trim(), StringComparison.Ordinal);
        Assert.Equal(2, tooPrecise.ExitCode);
        Assert.EndsWith("Use at most 2 decimal places.", tooPrecise.StandardError.Trim(), StringComparison.Ordinal);
        var entries = await Sql.RowsAsync(connectionString, """
            SELECT concat_ws('|', "Kind", "Amount"::numeric(10,2), "Reason", "Actor" LIKE 'command line (%)') FROM billing.ledger_entries
            """);
        Assert.Equal(["Adjustment|12.50|Launch promotion|t"], entries);
    }
}
