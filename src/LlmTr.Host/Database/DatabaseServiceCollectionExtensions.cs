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
        // The local cluster is for development and the local demo; an installation meant for real use names its database.
        services.AddOptions<DatabaseOptions>().Bind(configuration.GetSection(DatabaseOptions.Section))
            .Validate<IHostEnvironment, IConfiguration>(
                (_, environment, settings) => HostConnectionString.IsConfigured(settings) || !(environment.IsProduction() || environment.IsStaging()),
                "ConnectionStrings:Postgres is required in Production and Staging (the local cluster is for development and the local demo only).")
            .ValidateOnStart();
        services.AddHostedService<DatabaseStartup>();
        services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database", tags: ["ready"]);
        return services;
    }
}
