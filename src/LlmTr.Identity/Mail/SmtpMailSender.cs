using System.Net.Sockets;
using LlmTr.SharedKernel;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;

namespace LlmTr.Identity.Mail;

/// <summary>Sends each mail through the configured SMTP server with MailKit, one connection per mail.</summary>
internal sealed class SmtpMailSender(IOptions<SmtpOptions> options) : IMailSender
{
    public async Task SendAsync(OutgoingMail mail, CancellationToken cancellationToken = default)
    {
        var settings = options.Value;
        using var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(settings.From));
        message.To.Add(MailboxAddress.Parse(mail.To));
        message.Subject = mail.Subject;
        message.Body = new TextPart(MimeKit.Text.TextFormat.Plain) { Text = mail.TextBody };

        using var client = new SmtpClient();
        var security = !settings.EnableSsl ? SecureSocketOptions.None
            : settings.Port == 465 ? SecureSocketOptions.SslOnConnect
            : SecureSocketOptions.StartTls;
        try
        {
            await client.ConnectAsync(settings.Host!, settings.Port, security, cancellationToken);
            if (!string.IsNullOrEmpty(settings.UserName))
            {
                await client.AuthenticateAsync(settings.UserName, settings.Password ?? "", cancellationToken);
            }

            await client.SendAsync(message, cancellationToken);
            await client.DisconnectAsync(quit: true, cancellationToken);
        }
        catch (Exception e) when (e is SmtpCommandException or SmtpProtocolException or AuthenticationException
            or SslHandshakeException or SocketException or IOException or ServiceNotConnectedException)
        {
            // The exception's own text may quote the server; the type is enough to act on and names no secret.
            throw new MailNotSentException($"The mail server did not take the message ({e.GetType().Name}).", e);
        }
    }
}
