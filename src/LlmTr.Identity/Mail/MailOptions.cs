using MimeKit;

namespace LlmTr.Identity.Mail;

/// <summary>
/// The SMTP server the site sends its mail through (<c>Smtp:*</c>). Required outside Development and the local demo;
/// there, without a host, mail goes to the dev mailbox instead.
/// </summary>
public sealed class SmtpOptions
{
    public const string Section = "Smtp";

    public string? Host { get; set; }

    public int Port { get; set; } = 587;

    /// <summary>TLS: implicit on port 465, STARTTLS (required) on any other port; false sends in the clear (local relays only).</summary>
    public bool EnableSsl { get; set; } = true;

    public string? UserName { get; set; }

    public string? Password { get; set; }

    public string From { get; set; } = "LLMTR <no-reply@llmtr.local>";

    public bool IsConfigured => !string.IsNullOrWhiteSpace(Host);

    internal static bool IsMailbox(string? value) => MailboxAddress.TryParse(value, out _);
}

/// <summary>The site's public address (<c>Site:PublicBaseUrl</c>), for links in e-mails; required where SMTP is.</summary>
public sealed class SiteOptions
{
    public const string Section = "Site";

    public string? PublicBaseUrl { get; set; }

    internal static bool IsUsable(string? value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri)
        && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
        && string.IsNullOrEmpty(uri.Query) && string.IsNullOrEmpty(uri.Fragment) && string.IsNullOrEmpty(uri.UserInfo);
}

/// <summary>Whether this host may keep mail in the dev mailbox (Development and the local demo only; decided by the host).</summary>
internal sealed record DevMailboxPolicy(bool Allowed);
