using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace LlmTr.Testing;

/// <summary>
/// The real host, in process, on a database of the test's own. Demo data and the job server are off unless a test
/// turns them on, and local state goes to a temporary folder so tests never touch the checkout's.
/// </summary>
public sealed class LlmTrHostFactory(string connectionString, IReadOnlyDictionary<string, string?>? settings = null)
    : WebApplicationFactory<Program>
{
    private readonly string _localState = Path.Combine(Path.GetTempPath(), "llmtr-test-state", Guid.NewGuid().ToString("N"));

    public string ConnectionString => connectionString;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.UseSetting("ConnectionStrings:Postgres", connectionString);
        builder.UseSetting("LocalState:Directory", _localState);
        builder.UseSetting("Demo:Enabled", "false");
        builder.UseSetting("Jobs:ServerEnabled", "false");
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            builder.UseSetting(key, value);
        }
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (Directory.Exists(_localState))
        {
            Directory.Delete(_localState, recursive: true);
        }
    }
}
