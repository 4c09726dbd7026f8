using LlmTr.Persistence;
using Microsoft.EntityFrameworkCore;

namespace LlmTr.Host.Database;

/// <summary>
/// <c>ConnectionStrings:Postgres</c> when it is set; otherwise the local cluster, started on first use.
/// Read lazily so that settings applied while the host is built (tests, tools) are seen.
/// </summary>
internal sealed class HostConnectionString : IPostgresConnectionString
{
    private readonly Lazy<string> _value;

    public HostConnectionString(IConfiguration configuration, IServiceProvider services)
    {
        _value = new Lazy<string>(() =>
        {
            var configured = configuration.GetConnectionString("Postgres");
            if (!string.IsNullOrWhiteSpace(configured))
            {
                return configured;
            }

            // Adding a migration builds the model only; it must not start a database.
            return EF.IsDesignTime
                ? "Host=127.0.0.1;Database=llmtr_design_time"
                : services.GetRequiredService<LocalDatabase>().EnsureRunning();
        });
    }

    public string Value => _value.Value;

    public static bool IsConfigured(IConfiguration configuration) =>
        !string.IsNullOrWhiteSpace(configuration.GetConnectionString("Postgres"));
}
