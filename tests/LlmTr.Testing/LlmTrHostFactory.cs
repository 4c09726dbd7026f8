using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LlmTr.Testing;

/// <summary>
/// The real host, in process, on a database of the test's own. Demo data and the job server are off unless a test
/// turns them on, and local state goes to a temporary folder so tests never touch the checkout's.
/// </summary>
public sealed class LlmTrHostFactory(
    string connectionString,
    IReadOnlyDictionary<string, string?>? settings = null,
    Action<IServiceCollection>? services = null)
    : WebApplicationFactory<Program>
{
    private readonly string _localState = Path.Combine(Path.GetTempPath(), "llmtr-test-state", Guid.NewGuid().ToString("N"));

    /// <summary>Every test host shares one key-hashing secret, as the hosts of one installation do.</summary>
    public const string TestKeyHashSecret = "bGxtdHItdGVzdC1rZXktaGFzaGluZy1zZWNyZXQtMzItYnl0ZXMh";

    public string ConnectionString => connectionString;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.UseSetting("ConnectionStrings:Postgres", connectionString);
        builder.UseSetting("LocalState:Directory", _localState);
        builder.UseSetting("Demo:Enabled", "false");
        builder.UseSetting("Jobs:ServerEnabled", "false");
        builder.UseSetting("Keys:HashSecret", TestKeyHashSecret);
        // Every test client shares one address; the tests of the per-address sign-in limit set their own.
        builder.UseSetting("SignIn:AttemptsPerMinute", "100000");
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureLogging(logging => logging.AddProvider(Logs));
        if (services is not null)
        {
            builder.ConfigureTestServices(services);
        }
    }

    /// <summary>Serves the host on real Kestrel at a random loopback port (for browsers and real clients); its address.</summary>
    public Uri StartOnKestrel()
    {
        UseKestrel(0);
        StartServer();
        var address = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal).Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal));
    }

    /// <summary>Every log entry this host wrote, for tests that prove what never reaches a log.</summary>
    public CapturedLogs Logs { get; } = new();

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (Directory.Exists(_localState))
        {
            Directory.Delete(_localState, recursive: true);
        }
    }
}
