using System.Globalization;
using LlmTr.Identity;
using LlmTr.Identity.Organisations;
using LlmTr.Modules.Billing.Data;
using LlmTr.SharedKernel;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LlmTr.Modules.Billing.Jobs;

/// <summary>
/// Tells an organisation's owners and billing members once when its balance falls below the threshold they set (by e-mail, through the site's one mail
/// sender; the dashboard shows it regardless), and re-arms the notice once the balance is back above it.
/// </summary>
internal sealed partial class LowBalanceNoticeJob(
    IDbContextFactory<BillingDbContext> contexts,
    IServiceScopeFactory scopes,
    IOrganisations organisations,
    IMailSender mail,
    ISiteAddress site,
    TimeProvider time,
    ILogger<LowBalanceNoticeJob> logger)
{
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await db.Accounts
            .Where(a => a.LowBalanceNotifiedAt != null && (a.LowBalanceThreshold == null || a.Balance >= a.LowBalanceThreshold))
            .ExecuteUpdateAsync(set => set.SetProperty(a => a.LowBalanceNotifiedAt, (DateTimeOffset?)null), cancellationToken);
        var low = await db.Accounts
            .Where(a => a.LowBalanceNotifiedAt == null && a.LowBalanceThreshold != null && a.Balance < a.LowBalanceThreshold)
            .Take(500).ToListAsync(cancellationToken);
        var notified = 0;
        foreach (var account in low)
        {
            if (!await MailAsync(account, cancellationToken))
            {
                continue; // not marked: the next run tries again
            }

            account.LowBalanceNotifiedAt = time.GetUtcNow();
            notified++;
        }

        await db.SaveChangesAsync(cancellationToken);
        return notified;
    }

    private async Task<bool> MailAsync(AccountRecord account, CancellationToken cancellationToken)
    {
        var recipients = new List<string>();
        await using (var scope = scopes.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
            foreach (var address in await organisations.BillingContactsAsync(account.AccountId, cancellationToken))
            {
                // A deleted account keeps only a placeholder address, which is never written to.
                if (await users.FindByEmailAsync(address) is { DeletedAt: null })
                {
                    recipients.Add(address);
                }
            }
        }

        if (recipients.Count == 0)
        {
            return true; // nobody to write to: count it as told
        }

        // The link is absolute: a relative one means nothing in a mail client.
        var billing = site.For("/dashboard/billing");
        var body = string.Create(CultureInfo.InvariantCulture, $"""
            Your LLMTR balance is {account.Balance:0.00} {account.Currency}, below the {account.LowBalanceThreshold:0.00} {account.Currency} you asked to be told about.
            Add credit on the billing page of your dashboard: {billing}

            LLMTR bakiyeniz {account.Balance:0.00} {account.Currency}; belirlediğiniz {account.LowBalanceThreshold:0.00} {account.Currency} eşiğinin altında.
            Kredi yüklemek için panelinizdeki faturalama sayfasını kullanın: {billing}
            """);
        try
        {
            foreach (var email in recipients)
            {
                await mail.SendAsync(new OutgoingMail(email, "Your LLMTR balance is low", body), cancellationToken);
            }

            return true;
        }
        catch (MailNotSentException e)
        {
            LogMailFailed(logger, account.AccountId, e.Message);
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not e-mail the low-balance notice to account {AccountId} ({Status}); trying again next run")]
    private static partial void LogMailFailed(ILogger logger, string accountId, string status);
}
