using Microsoft.Extensions.Hosting;

namespace LlmTr.Modules.Billing.Ledger;

/// <summary>
/// Republishes, every few seconds, what this host holds of each account in Redis: it keeps the host's figures alive
/// (those of a host that stopped expire) and writes them again after Redis was away or restarted empty.
/// </summary>
/// <remarks>
/// On the machine's clock, not the injected one: liveness is judged by Redis's own clock, which tests cannot stop.
/// </remarks>
internal sealed class SharedCreditHeartbeat(AccountCredits credits) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (credits.Shared is not { } shared)
        {
            return;
        }

        using var timer = new PeriodicTimer(SharedCredit.HeartbeatInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                shared.PublishAll();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
