using LlmTr.Identity.Mail;
using LlmTr.SharedKernel;
using LlmTr.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace LlmTr.IntegrationTests.Hosting;

/// <summary>
/// Outside Development and the local demo the site's mail needs a real server and absolute links need the site's
/// public address: a host without either refuses to start, and the dev mailbox cannot exist there.
/// </summary>
public sealed class ProductionMailShould
{
    private static readonly TimeSpan RefusalDeadline = TimeSpan.FromSeconds(60);

    [Theory]
    [InlineData("Production", "Smtp__Host", "Smtp:Host")]
    [InlineData("Staging", "Smtp__Host", "Smtp:Host")]
    [InlineData("Production", "Site__PublicBaseUrl", "Site:PublicBaseUrl")]
    public async Task ExitWithOneLineNamingAMissingMailSetting(string environment, string variable, string setting)
    {
        var database = await (await PostgresServer.InstanceAsync()).CreateMigratedDatabaseAsync();
        var settings = ProductionStartShould.Production(environment);
        settings.Remove(variable);

        var result = await HostProcess.RunAsync(database, settings, RefusalDeadline);

        Assert.NotEqual(0, result.ExitCode);
        var lines = result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var line = Assert.Single(lines);
        Assert.StartsWith("LLMTR cannot start:", line, StringComparison.Ordinal);
        Assert.Contains(setting, line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("llmtr.example.com")]
    [InlineData("ftp://llmtr.example.com")]
    [InlineData("https://llmtr.example.com/?next=1")]
    public async Task ExitWhenThePublicBaseUrlIsNotAnHttpAddress(string value)
    {
        var database = await (await PostgresServer.InstanceAsync()).CreateMigratedDatabaseAsync();

        var result = await HostProcess.RunAsync(database, ProductionStartShould.Production("Production", new() { ["Site__PublicBaseUrl"] = value }), RefusalDeadline);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("Site:PublicBaseUrl", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task KeepNoDevMailboxAndLinkToThePublicAddressInProduction()
    {
        var database = await (await PostgresServer.InstanceAsync()).CreateMigratedDatabaseAsync();
        await using var host = new LlmTrHostFactory(database, new Dictionary<string, string?>(ProductionMail.Settings)
        {
            ["environment"] = "Production",
            ["Billing:TopUpsEnabled"] = "false",
        });
        using var client = host.CreateClient();
        Assert.Equal(System.Net.HttpStatusCode.OK, (await client.GetAsync(new Uri("/health/live", UriKind.Relative))).StatusCode);

        var mailbox = host.Services.GetRequiredService<IDevMailbox>();
        Assert.False(mailbox.IsEnabled);
        Assert.DoesNotContain("DevMailbox", host.Services.GetRequiredService<IMailSender>().GetType().Name, StringComparison.Ordinal);
        Assert.Equal(new Uri("https://llmtr.test/dashboard/billing"), host.Services.GetRequiredService<ISiteAddress>().For("/dashboard/billing"));
    }
}
