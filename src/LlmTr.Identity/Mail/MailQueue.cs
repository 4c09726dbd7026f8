using System.Threading.Channels;
using LlmTr.SharedKernel;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace LlmTr.Identity.Mail;

/// <summary>
/// Account mail (password resets, confirmations) sent after the page has answered: the answer then takes as long
/// whether or not a mail went out, so its timing does not tell who has an account, and a slow mail server does not
/// hold a form. A mail that cannot be sent is logged (without its address or link) and dropped: the person asks again.
/// </summary>
public interface IMailQueue
{
    void Enqueue(OutgoingMail mail);
}

internal sealed partial class MailQueue(IServiceScopeFactory scopes, ILogger<MailQueue> logger) : BackgroundService, IMailQueue
{
    private readonly Channel<OutgoingMail> queue = Channel.CreateBounded<OutgoingMail>(
        new BoundedChannelOptions(1000) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });

    public void Enqueue(OutgoingMail mail)
    {
        if (!queue.Writer.TryWrite(mail))
        {
            LogQueueFull(logger);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var mail in queue.Reader.ReadAllAsync(stoppingToken))
        {
            await SendAsync(mail, stoppingToken);
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        // What is queued when the host stops is still sent, within the host's shutdown time.
        queue.Writer.TryComplete();
        await base.StopAsync(cancellationToken);
        while (queue.Reader.TryRead(out var mail) && !cancellationToken.IsCancellationRequested)
        {
            await SendAsync(mail, cancellationToken);
        }
    }

    private async Task SendAsync(OutgoingMail mail, CancellationToken cancellationToken)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<IMailSender>().SendAsync(mail, cancellationToken);
        }
        catch (MailNotSentException e)
        {
            LogNotSent(logger, e.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "An account mail was not sent: {Reason}")]
    private static partial void LogNotSent(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "An account mail was dropped: the mail queue is full")]
    private static partial void LogQueueFull(ILogger logger);
}
