using LlmTr.Persistence;

namespace LlmTr.Host.Database;

internal static class DatabaseServiceCollectionExtensions
{
    /// <summary>The one database: where it is, the local cluster when none is configured, and the start-up migration.</summary>
    public static IServiceCollection AddHostDatabase(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddLlmTrDatabase();
        services.AddSingleton(LocalState.Resolve(configuration));
        services.AddSingleton<LocalDatabase>();
        services.AddSingleton<IPostgresConnectionString, HostConnectionString>();
        services.AddOptions<DatabaseOptions>().Bind(configuration.GetSection(DatabaseOptions.Section));
        services.AddHostedService<DatabaseStartup>();
        services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database", tags: ["ready"]);
        return services;
    }
}
