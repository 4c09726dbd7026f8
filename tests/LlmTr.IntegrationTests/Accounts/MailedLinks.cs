using System.Text.RegularExpressions;
using LlmTr.Identity;
using LlmTr.Identity.Mail;
using LlmTr.Testing;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace LlmTr.IntegrationTests.Accounts;

/// <summary>What the account tests read back: mails in the dev mailbox, the links in them, and users as stored.</summary>
internal static partial class MailedLinks
{
    /// <summary>The path and query of the link in a mail to <paramref name="email"/> leading to <paramref name="path"/>.</summary>
    public static async Task<string> LinkAsync(LlmTrHostFactory host, string email, string path)
    {
        string? link = null;
        await Poll.UntilAsync(() =>
        {
            link = MailsTo(host, email)
                .Select(mail => Links().Matches(mail.TextBody).Select(m => new Uri(m.Value)).FirstOrDefault(uri => uri.AbsolutePath == path))
                .FirstOrDefault(uri => uri is not null)?.PathAndQuery;
            return Task.FromResult(link is not null);
        }, $"a mail to {email} with a link to {path}");
        return link!;
    }

    /// <summary>The body of a mail to <paramref name="email"/> whose subject is <paramref name="subject"/>, once it is there.</summary>
    public static async Task<string> BodyAsync(LlmTrHostFactory host, string email, string subject)
    {
        string? body = null;
        await Poll.UntilAsync(() =>
        {
            body = MailsTo(host, email).FirstOrDefault(mail => mail.Subject == subject)?.TextBody;
            return Task.FromResult(body is not null);
        }, $"a mail to {email} about '{subject}'");
        return body!;
    }

    public static IEnumerable<DevMail> MailsTo(LlmTrHostFactory host, string email) =>
        host.Services.GetRequiredService<IDevMailbox>().Mails.Where(mail => mail.To == email);

    public static async Task<ApplicationUser?> UserAsync(LlmTrHostFactory host, string userId)
    {
        await using var scope = host.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>().FindByIdAsync(userId);
    }

    public static async Task<string> EmailOfAsync(LlmTrHostFactory host, string userId) => (await UserAsync(host, userId))!.Email!;

    /// <summary>Signs in through the login form; true when it let the visitor in (a redirect to the dashboard, not to the lockout page).</summary>
    public static async Task<bool> SignsInAsync(LlmTrHostFactory host, string email, string password)
    {
        using var browser = new FormClient(host);
        var answer = await browser.SubmitAsync("/account/login", "login", new Dictionary<string, string> { ["Input.Email"] = email, ["Input.Password"] = password });
        return answer.StatusCode == System.Net.HttpStatusCode.Redirect && FormClient.LocationOf(answer) is { } location && location.StartsWith("/dashboard", StringComparison.Ordinal);
    }

    [GeneratedRegex(@"https?://\S+")]
    private static partial Regex Links();
}
