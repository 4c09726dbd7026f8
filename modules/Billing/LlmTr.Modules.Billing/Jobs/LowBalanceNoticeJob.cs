using System.Globalization;
using System.Net;
using System.Net.Mail;
using LlmTr.Identity;
using LlmTr.Modules.Billing.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LlmTr.Modules.Billing.Jobs;

/// <summary>Outgoing mail, when <c>Smtp:Host</c> is configured; without it notices are shown in the dashboard only.</summary>
internal sealed class SmtpOptions
{
    public const string Section = "Smtp";

    public string? Host { get; set; }

    public int Port { get; set; } = 587;

    public bool EnableSsl { get; set; } = true;

    public string? UserName { get; set; }

    public string? Password { get; set; }

    public string From { get; set; } = "LLMTR <no-reply@llmtr.local>";

    public bool IsConfigured => !string.IsNullOrWhiteSpace(Host);
}

/// <summary>
/// Tells owners once when their balance falls below the threshold they set (by e-mail when SMTP is configured; the
/// dashboard shows it regardless), and re-arms the notice once the balance is back above it.
/// </summary>
internal sealed partial class LowBalanceNoticeJob(
    IDbContextFactory<BillingDbContext> contexts,
    IServiceScopeFactory scopes,
    IOptions<SmtpOptions> smtp,
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
            if (smtp.Value.IsConfigured && !await MailAsync(account, cancellationToken))
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
        await using var scope = scopes.CreateAsyncScope();
        var user = await scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>().FindByIdAsync(account.AccountId);
        if (user?.Email is not { } email)
        {
            return true; // nobody to write to: count it as told
        }

        var options = smtp.Value;
        using var message = new MailMessage(options.From, email)
        {
            Subject = "Your LLMTR balance is low",
            Body = string.Create(CultureInfo.InvariantCulture, $"""
                Your LLMTR balance is {account.Balance:0.00} {account.Currency}, below the {account.LowBalanceThreshold:0.00} {account.Currency} you asked to be told about.
                Add credit on the billing page of your dashboard: /dashboard/billing

                LLMTR bakiyeniz {account.Balance:0.00} {account.Currency}; belirlediğiniz {account.LowBalanceThreshold:0.00} {account.Currency} eşiğinin altında.
                Kredi yüklemek için panelinizdeki faturalama sayfasını kullanın: /dashboard/billing
                """),
        };
        using var client = new SmtpClient(options.Host, options.Port) { EnableSsl = options.EnableSsl };
        if (!string.IsNullOrEmpty(options.UserName))
        {
            client.Credentials = new NetworkCredential(options.UserName, options.Password);
        }

        try
        {
            await client.SendMailAsync(message, cancellationToken);
            return true;
        }
        catch (SmtpException e)
        {
            LogMailFailed(logger, account.AccountId, e.StatusCode.ToString());
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not e-mail the low-balance notice to account {AccountId} ({Status}); trying again next run")]
    private static partial void LogMailFailed(ILogger logger, string accountId, string status);
}
