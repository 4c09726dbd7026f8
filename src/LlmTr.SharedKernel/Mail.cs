namespace LlmTr.SharedKernel;

/// <summary>One plain-text e-mail to one address. Links in the body are absolute (see <see cref="ISiteAddress"/>).</summary>
public sealed record OutgoingMail(string To, string Subject, string TextBody);

/// <summary>
/// The one way the product sends e-mail: through the configured SMTP server, or, in Development and the local demo
/// without one, into the dev mailbox the admin console shows. Throws <see cref="MailNotSentException"/> when the server
/// refused or could not be reached, so a caller can try again later.
/// </summary>
public interface IMailSender
{
    Task SendAsync(OutgoingMail mail, CancellationToken cancellationToken = default);
}

/// <summary>The mail server refused the message or could not be reached; the message names no credential.</summary>
public sealed class MailNotSentException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>The site's public address, for links that leave the site (e-mails): <c>Site:PublicBaseUrl</c>.</summary>
public interface ISiteAddress
{
    /// <summary>The absolute address of a local path such as <c>/dashboard/billing</c> (with its query, if any).</summary>
    Uri For(string pathAndQuery);
}
