using System.Text;
using LlmTr.Identity;
using LlmTr.Identity.Mail;
using LlmTr.SharedKernel;
using LlmTr.Web.Resources;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;

namespace LlmTr.Web.Account;

/// <summary>
/// The account mails (e-mail confirmation, password reset, e-mail change), written in the language the person is using and carrying
/// an absolute link with one of Identity's tokens. The tokens are time-limited (<c>Identity:TokenLifetime</c>); a reset
/// token is bound to the account's security stamp, which the reset renews, so each link works once.
/// </summary>
internal sealed class AccountMail(
    UserManager<ApplicationUser> users, ISiteAddress site, IMailQueue queue, IOptions<AccountOptions> account, IStringLocalizer<SharedResource> text)
{
    public const string ConfirmEmailPath = "/account/confirm-email";
    public const string ResetPasswordPath = "/account/reset-password";
    public const string ConfirmEmailChangePath = "/account/confirm-email-change";

    public async Task SendConfirmationAsync(ApplicationUser user)
    {
        var token = await users.GenerateEmailConfirmationTokenAsync(user);
        var link = site.For($"{ConfirmEmailPath}?userId={Uri.EscapeDataString(user.Id)}&code={Encode(token)}");
        queue.Enqueue(new OutgoingMail(user.Email!, text["Account_ConfirmMailSubject"], text["Account_ConfirmMailBody", link, Hours()]));
    }

    public async Task SendPasswordResetAsync(ApplicationUser user)
    {
        var token = await users.GeneratePasswordResetTokenAsync(user);
        var link = site.For($"{ResetPasswordPath}?userId={Uri.EscapeDataString(user.Id)}&code={Encode(token)}");
        queue.Enqueue(new OutgoingMail(user.Email!, text["Account_ResetMailSubject"], text["Account_ResetMailBody", link, Hours()]));
    }

    /// <summary>
    /// The link that moves the account to <paramref name="newEmail"/>, mailed to that address; or, when another account
    /// already uses it, a mail there that says so (the page answers alike either way, so it tells nobody else).
    /// </summary>
    public async Task SendEmailChangeAsync(ApplicationUser user, string newEmail, bool taken)
    {
        if (taken)
        {
            queue.Enqueue(new OutgoingMail(newEmail, text["AccountChange_TakenMailSubject"], text["AccountChange_TakenMailBody"]));
            return;
        }

        var token = await users.GenerateChangeEmailTokenAsync(user, newEmail);
        var link = site.For($"{ConfirmEmailChangePath}?userId={Uri.EscapeDataString(user.Id)}&email={Uri.EscapeDataString(newEmail)}&code={Encode(token)}");
        queue.Enqueue(new OutgoingMail(newEmail, text["AccountChange_MailSubject"], text["AccountChange_MailBody", link, Hours()]));
    }

    /// <summary>Tells the old address that the account now uses another one (without naming it, in case the change was not theirs).</summary>
    public void SendEmailChangedNotice(string oldEmail) =>
        queue.Enqueue(new OutgoingMail(oldEmail, text["AccountChange_NoticeSubject"], text["AccountChange_NoticeBody"]));

    /// <summary>A token as it travels in a link (base64url of its UTF-8 bytes), and back; null when it is not one.</summary>
    public static string Encode(string token) => WebEncoders.Base64UrlEncode(Encoding.UTF8.GetBytes(token));

    public static string? Decode(string? code)
    {
        if (string.IsNullOrEmpty(code) || code.Length > 4096)
        {
            return null;
        }

        try
        {
            return Encoding.UTF8.GetString(WebEncoders.Base64UrlDecode(code));
        }
        catch (FormatException)
        {
            return null;
        }
    }

    /// <summary>How long the link works, in hours, as the mail says it.</summary>
    private string Hours() => Math.Round(account.Value.TokenLifetime.TotalHours, 1).ToString(System.Globalization.CultureInfo.CurrentCulture);
}
