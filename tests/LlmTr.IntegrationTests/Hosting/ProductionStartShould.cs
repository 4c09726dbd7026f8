using LlmTr.Testing;

namespace LlmTr.IntegrationTests.Hosting;

/// <summary>
/// Issue 18: a host set up for Production (or Staging) refuses to start without a setting it cannot run without, and
/// says which one in a single line on stderr, instead of starting half-working (500 pages, free credit).
/// </summary>
public sealed class ProductionStartShould
{
    /// <summary>Longer than a refused start ever takes, far shorter than the default, so a host that serves instead fails fast.</summary>
    private static readonly TimeSpan RefusalDeadline = TimeSpan.FromSeconds(60);

    // Issue 18, finding 4: without Keys:HashSecret the host used to start, report ready and answer /v1 with 500 pages.
    [Fact]
    public async Task ExitWithOneLineNamingTheHashSecretWhenItIsMissing()
    {
        var database = await (await PostgresServer.InstanceAsync()).CreateMigratedDatabaseAsync();

        var result = await HostProcess.RunAsync(database, Production("Production", new() { ["Keys__HashSecret"] = "" }), RefusalDeadline);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("Keys:HashSecret", OneLine(result), StringComparison.Ordinal);
    }

    // Issue 18, finding 4: a hash secret that is not base64 of 32 bytes is as unusable as none.
    [Fact]
    public async Task ExitWithOneLineNamingTheHashSecretWhenItIsTooShort()
    {
        var database = await (await PostgresServer.InstanceAsync()).CreateMigratedDatabaseAsync();

        var result = await HostProcess.RunAsync(database, Production("Production", new() { ["Keys__HashSecret"] = "c2hvcnQ=" }), RefusalDeadline);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("Keys:HashSecret", OneLine(result), StringComparison.Ordinal);
    }

    // Issue 18, finding 4: a production host without a database would otherwise try to run a local cluster of its own.
    [Fact]
    public async Task ExitWithOneLineNamingTheConnectionStringWhenNoDatabaseIsConfigured()
    {
        // Local state is a file, not a folder: were the host to fall back to a local cluster, it could not create one.
        var notAFolder = Path.GetTempFileName();
        try
        {
            var result = await HostProcess.RunAsync(
                null, Production("Production", new() { ["LocalState__Directory"] = notAFolder, ["LocalPostgres__Port"] = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture) }), RefusalDeadline);

            Assert.NotEqual(0, result.ExitCode);
            Assert.Contains("ConnectionStrings:Postgres", OneLine(result), StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(notAFolder);
        }
    }

    // Issue 18, finding 1: without a payment provider, a production host used to open the built-in test checkout to anyone.
    [Theory]
    [InlineData("Production")]
    [InlineData("Staging")]
    public async Task ExitWithOneLineNamingTheStripeSettingsWhenNoPaymentProviderIsConfigured(string environment)
    {
        var database = await (await PostgresServer.InstanceAsync()).CreateMigratedDatabaseAsync();
        var settings = Production(environment);
        settings.Remove("Stripe__SecretKey");
        settings.Remove("Stripe__WebhookSecret");

        var result = await HostProcess.RunAsync(database, settings, RefusalDeadline);

        Assert.NotEqual(0, result.ExitCode);
        var line = OneLine(result);
        Assert.Contains("Stripe:SecretKey", line, StringComparison.Ordinal);
        Assert.Contains("Stripe:WebhookSecret", line, StringComparison.Ordinal);
        Assert.Contains("Billing:TopUpsEnabled", line, StringComparison.Ordinal);
    }

    // Receipts name the seller: a host taking real payments without the seller's details would issue receipts without them.
    [Fact]
    public async Task ExitWithOneLineNamingTheSellerSettingsWhenTopUpsAreOnWithoutThem()
    {
        var database = await (await PostgresServer.InstanceAsync()).CreateMigratedDatabaseAsync();
        var settings = Production("Production");
        settings.Remove("Billing__Seller__TaxNumber");

        var result = await HostProcess.RunAsync(database, settings, RefusalDeadline);

        Assert.NotEqual(0, result.ExitCode);
        var line = OneLine(result);
        Assert.Contains("Billing:Seller:TaxNumber", line, StringComparison.Ordinal);
        Assert.Contains("Billing:TopUpsEnabled", line, StringComparison.Ordinal);
    }

    // Issue 18, finding 4: a key-ring certificate that is configured but cannot be used must stop the start, not leave
    // the session keys in the clear or fail at the first sign-in.
    [Fact]
    public async Task ExitWithOneLineNamingTheKeyRingCertificateWhenItCannotBeRead()
    {
        var database = await (await PostgresServer.InstanceAsync()).CreateMigratedDatabaseAsync();
        var missing = Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N") + ".pfx");

        var result = await HostProcess.RunAsync(database, Production("Production", new() { ["DataProtection__CertificatePath"] = missing }), RefusalDeadline);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("DataProtection:CertificatePath", OneLine(result), StringComparison.Ordinal);
    }

    // Issue 23: a Redis connection string that cannot be read stops the start, and the line never repeats its password.
    [Fact]
    public async Task ExitWithOneLineNamingTheRedisConnectionStringWhenItCannotBeRead()
    {
        var database = await (await PostgresServer.InstanceAsync()).CreateMigratedDatabaseAsync();

        var result = await HostProcess.RunAsync(database, Production("Production", new() { ["ConnectionStrings__Redis"] = "redis.internal:6379,password=hunter2-secret,nosuchoption=1" }), RefusalDeadline);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("ConnectionStrings:Redis", OneLine(result), StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2-secret", result.StandardOutput + result.StandardError, StringComparison.Ordinal);
    }

    // Issue 18, finding 4: management commands run before any site setting matters, so an operator can still migrate.
    [Fact]
    public async Task StillMigrateWithoutTheSettingsOnlyTheSiteNeeds()
    {
        var database = await (await PostgresServer.InstanceAsync()).CreateMigratedDatabaseAsync();
        var settings = Production("Production", new() { ["Keys__HashSecret"] = "" });
        settings.Remove("Stripe__SecretKey");
        settings.Remove("Stripe__WebhookSecret");

        var result = await HostProcess.RunAsync(database, settings, RefusalDeadline, "migrate");

        Assert.True(result.ExitCode == 0, result.StandardError);
    }

    /// <summary>A production host's environment: every required setting present unless the test takes it away.</summary>
    internal static Dictionary<string, string> Production(string environment, Dictionary<string, string>? overrides = null)
    {
        var settings = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = environment,
            ["DOTNET_ENVIRONMENT"] = environment,
            ["Urls"] = $"http://127.0.0.1:{FreePort.Next()}", // never appsettings.json's own port
            ["Jobs__ServerEnabled"] = "false",
            ["Stripe__SecretKey"] = FakeStripe.SecretKey,
            ["Stripe__WebhookSecret"] = FakeStripe.WebhookSecret,
            ["Stripe__ApiBase"] = "http://127.0.0.1:9", // nothing is asked of Stripe at start
            ["Billing__Seller__LegalName"] = "LLMTR Bilişim A.Ş.",
            ["Billing__Seller__Address"] = "Maslak Mah. 1, Sarıyer, İstanbul",
            ["Billing__Seller__TaxOffice"] = "Maslak",
            ["Billing__Seller__TaxNumber"] = "1234567890",
        };
        foreach (var (name, value) in ProductionMail.Environment)
        {
            settings[name] = value;
        }

        foreach (var (name, value) in overrides ?? [])
        {
            settings[name] = value;
        }

        return settings;
    }

    /// <summary>What the refusing host wrote to stderr: exactly one line, no stack trace.</summary>
    private static string OneLine(HostProcess.Result result)
    {
        var lines = result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.True(lines.Length == 1, $"Expected one line on stderr, got {lines.Length}:{Environment.NewLine}{result.StandardError}");
        return lines[0];
    }
}
