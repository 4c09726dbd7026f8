using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace LlmTr.Host.Demo;

/// <summary>
/// Tells the person who ran the site where it is and, in demo mode, how to sign in as the demo admin.
/// Written to the console, not the log: the demo password is for the person at the terminal only, and is shown only by
/// the start that created the admin; later starts say where it is kept instead.
/// </summary>
internal sealed class StartupBanner(IHostApplicationLifetime lifetime, IServer server, DemoMode demo, DemoSeedResult seeded) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStarted.Register(() =>
        {
            var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
            Console.WriteLine();
            Console.WriteLine($"LLMTR is running at {string.Join(", ", addresses)}  (Ctrl+C stops it)");
            if (demo.Enabled && seeded.Credentials is { } credentials)
            {
                Console.WriteLine(credentials.Describe());
            }

            Console.WriteLine();
        });
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>What the start-up seed produced, for the banner.</summary>
internal sealed class DemoSeedResult
{
    public DemoCredentials? Credentials { get; set; }
}
