using Microsoft.Extensions.Configuration;
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
        // The message never repeats the string: it may hold a password.
        services.AddOptions<SharedCountersOptions>()
            .Configure<IConfiguration>((options, configuration) => options.ConnectionString = configuration.GetConnectionString("Redis"))
            .Validate(options => SharedCountersOptions.IsValid(options.ConnectionString),
                "ConnectionStrings:Redis is not a Redis connection string (StackExchange.Redis format, such as redis.internal:6379,password=...,ssl=true); leave it empty to count limits per host.")
            .ValidateOnStart();
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
