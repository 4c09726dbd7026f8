using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace LlmTr.Persistence.Shared;

public static class SharedCountersRegistration
{
    /// <summary>
    /// Registers <see cref="SharedCounters"/> (Redis when <c>ConnectionStrings:Redis</c> is set, per-host counting
    /// otherwise) and connects it when the host starts, before it serves. The host calls this once.
    /// </summary>
    public static IServiceCollection AddSharedCounters(this IServiceCollection services)
    {
        services.AddSingleton<SharedCounters>();
        services.AddHostedService<Connector>();
        return services;
    }

    private sealed class Connector(SharedCounters counters) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => counters.ConnectAsync();

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
