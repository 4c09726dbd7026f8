using LlmTr.SharedKernel;

namespace LlmTr.Identity.Mail;

/// <summary>A mail kept by the dev mailbox instead of being sent.</summary>
public sealed record DevMail(Guid Id, DateTimeOffset ReceivedAt, string To, string Subject, string TextBody);

/// <summary>
/// Mail the site would have sent, kept in this host's memory (the newest <see cref="DevMailbox.Capacity"/>) so the
/// account flows work on a fresh machine without a mail server. It exists only in Development and the local demo:
/// elsewhere <see cref="IsEnabled"/> is false, nothing is ever kept, and its page answers 404.
/// </summary>
public interface IDevMailbox
{
    bool IsEnabled { get; }

    /// <summary>The kept mails, newest first.</summary>
    IReadOnlyList<DevMail> Mails { get; }
}

internal sealed class DevMailbox(DevMailboxPolicy policy, TimeProvider time) : IDevMailbox
{
    public const int Capacity = 200;

    private readonly LinkedList<DevMail> mails = new();

    public bool IsEnabled => policy.Allowed;

    public IReadOnlyList<DevMail> Mails
    {
        get
        {
            lock (mails)
            {
                return [.. mails];
            }
        }
    }

    public void Keep(OutgoingMail mail)
    {
        if (!policy.Allowed)
        {
            throw new InvalidOperationException("The dev mailbox exists only in Development and the local demo.");
        }

        lock (mails)
        {
            mails.AddFirst(new DevMail(Guid.NewGuid(), time.GetUtcNow(), mail.To, mail.Subject, mail.TextBody));
            if (mails.Count > Capacity)
            {
                mails.RemoveLast();
            }
        }
    }
}

/// <summary>The sender where no SMTP server is configured and the host allows the dev mailbox.</summary>
internal sealed class DevMailboxSender(DevMailbox mailbox) : IMailSender
{
    public Task SendAsync(OutgoingMail mail, CancellationToken cancellationToken = default)
    {
        mailbox.Keep(mail);
        return Task.CompletedTask;
    }
}

/// <summary>
/// Fails closed where neither is available (the start check refuses such a host; this is for hosts that skipped it,
/// such as management commands): nothing pretends a mail went out.
/// </summary>
internal sealed class NoMailSender : IMailSender
{
    public Task SendAsync(OutgoingMail mail, CancellationToken cancellationToken = default) =>
        throw new MailNotSentException("No mail server is configured (Smtp:Host).");
}
