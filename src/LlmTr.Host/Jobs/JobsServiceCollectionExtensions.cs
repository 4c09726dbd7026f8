using Hangfire;
using Hangfire.AspNetCore;
using Hangfire.PostgreSql;
using LlmTr.Identity;
using LlmTr.Persistence;
using LlmTr.SharedKernel;
using Npgsql;

namespace LlmTr.Host.Jobs;

internal static class JobsServiceCollectionExtensions
{
    /// <summary>
    /// Hangfire on PostgreSQL (schema <c>hangfire</c>). Its tables are installed by the migrator, under the same advisory
    /// lock as every other schema; a recurring job is enqueued once per occurrence however many hosts run a server.
    /// </summary>
    public static IServiceCollection AddLlmTrJobs(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(JobsOptions.Section).Get<JobsOptions>() ?? new JobsOptions();

        // Hangfire's storage is synchronous. Its connections come from a pool of their own that only ever does
        // synchronous I/O, so its sockets stay blocking and a Hangfire call never waits on the socket engine that the
        // asynchronous database calls use: with DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1 the calling thread may be
        // that engine's own, which would wait on itself until Npgsql's read timeout.
        services.AddSingleton(sp => new JobsDataSource(sp.GetRequiredService<IPostgresConnectionString>().Value, options.WorkerCount));
        services.AddSingleton(new ModuleDatabase("Hangfire", ModuleSchemas.Hangfire, ContextType: null, (sp, cancellationToken) =>
            Task.Factory.StartNew(
                () =>
                {
                    using var connection = sp.GetRequiredService<JobsDataSource>().Source.OpenConnection();
                    PostgreSqlObjectsInstaller.Install(connection, ModuleSchemas.Hangfire);
                },
                cancellationToken,
                TaskCreationOptions.LongRunning,
                TaskScheduler.Default)));

        // Storage and activator belong to this host's container, not to Hangfire's process-wide defaults
        // (JobStorage.Current, JobActivator.Current): hosts sharing a process must not share them. Hangfire only
        // try-adds its own, so these win.
        services.AddSingleton<JobStorage>(sp =>
        {
            sp.GetRequiredService<IGlobalConfiguration>();
            return new PostgreSqlStorage(
                new DataSourceConnectionFactory(sp.GetRequiredService<JobsDataSource>().Source),
                new PostgreSqlStorageOptions
                {
                    SchemaName = ModuleSchemas.Hangfire,
                    PrepareSchemaIfNecessary = false,
                    QueuePollInterval = options.QueuePollInterval,
                });
        });
        services.AddSingleton<JobActivator>(sp => new AspNetCoreJobActivator(sp.GetRequiredService<IServiceScopeFactory>()));
        services.AddHangfire(hangfire => hangfire
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings());

        if (options.ServerEnabled)
        {
            services.AddHangfireServer(server =>
            {
                server.WorkerCount = options.WorkerCount;
                server.SchedulePollingInterval = options.SchedulePollingInterval;
            });
        }

        return services;
    }

    /// <summary>The Hangfire dashboard for admins only: anonymous visitors are sent to sign in, others refused.</summary>
    public static IEndpointConventionBuilder MapJobsDashboard(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapHangfireDashboard("/admin/jobs", new DashboardOptions
        {
            Authorization = [new AdminDashboardAuthorization()],
            AppPath = "/admin",
            DisplayStorageConnectionString = false,
            DashboardTitle = "LLMTR jobs",
        }).RequireAuthorization(policy => policy.RequireRole(LlmTrRoles.Admin));

    private sealed class DataSourceConnectionFactory(NpgsqlDataSource dataSource) : IConnectionFactory
    {
        public NpgsqlConnection GetOrCreateConnection() => dataSource.CreateConnection();
    }

    /// <summary>The job storage's own connection pool (synchronous use only), closed with the host.</summary>
    private sealed class JobsDataSource(string connectionString, int workerCount) : IDisposable
    {
        // Bounded by what Hangfire can use at once (a connection per worker plus its schedulers and heartbeat), so a
        // host's second pool never takes the database's connections that requests need.
        public NpgsqlDataSource Source { get; } = new NpgsqlDataSourceBuilder(connectionString)
        {
            ConnectionStringBuilder =
            {
                ApplicationName = "llmtr-jobs",
                MaxPoolSize = workerCount + 6,
                ConnectionIdleLifetime = 60,
            },
        }.Build();

        public void Dispose() => Source.Dispose();
    }
}

internal sealed class JobsOptions
{
    public const string Section = "Jobs";

    /// <summary>Whether this host processes jobs. Every host may; each job still runs once.</summary>
    public bool ServerEnabled { get; set; } = true;

    public int WorkerCount { get; set; } = Math.Clamp(Environment.ProcessorCount * 2, 2, 8);

    public TimeSpan SchedulePollingInterval { get; set; } = TimeSpan.FromSeconds(15);

    public TimeSpan QueuePollInterval { get; set; } = TimeSpan.FromSeconds(5);
}
