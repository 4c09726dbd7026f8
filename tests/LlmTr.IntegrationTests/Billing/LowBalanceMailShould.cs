using System.Globalization;
using LlmTr.Modules.Billing.Contracts;
using LlmTr.Modules.Billing.Jobs;
using LlmTr.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace LlmTr.IntegrationTests.Billing;

public sealed class LowBalanceMailShould
{
    [Fact]
    public async Task EmailTheOwnerOnceThroughTheConfiguredSmtpServer()
    {
        await using var smtp = new FakeSmtp();
        var server = await PostgresServer.InstanceAsync();
        await using var host = new LlmTrHostFactory(await server.CreateMigratedDatabaseAsync(), new Dictionary<string, string?>
        {
            ["Smtp:Host"] = "127.0.0.1",
            ["Smtp:Port"] = smtp.Port.ToString(CultureInfo.InvariantCulture),
            ["Smtp:EnableSsl"] = "false",
            ["Smtp:From"] = "LLMTR <billing@llmtr.test>",
            ["Site:PublicBaseUrl"] = "https://llmtr.example",
        });
        var account = await TestAccounts.CreateUserAsync(host);
        await BillingTesting.GrantAsync(host, account, 3m);
        Assert.Empty(await host.Services.GetRequiredService<IBillingAccounts>().SetLowBalanceThresholdAsync(account, 10m));
        var job = host.Services.GetRequiredService<LowBalanceNoticeJob>();

        Assert.Equal(1, await job.RunAsync(CancellationToken.None));
        Assert.Equal(0, await job.RunAsync(CancellationToken.None));

        var message = Assert.Single(smtp.Messages);
        Assert.Contains(await BillingTesting.EmailOfAsync(host, account), message, StringComparison.Ordinal);
        Assert.Contains("Subject: Your LLMTR balance is low", message, StringComparison.Ordinal);
        Assert.Contains("billing@llmtr.test", message, StringComparison.Ordinal);
        // A mail client has no site to resolve a relative link against: the link is made from Site:PublicBaseUrl.
        var mail = Assert.Single(smtp.Mails);
        Assert.Contains("https://llmtr.example/dashboard/billing", mail.TextBody, StringComparison.Ordinal);
        Assert.DoesNotContain(" /dashboard/billing", mail.TextBody, StringComparison.Ordinal);
    }
}
