using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace LlmTr.Bench.Usage;

/// <summary>
/// The real LLMTR host built in this process, as a production host is (<c>Production</c>, configured by the environment
/// bench/run.sh exports: the database, the key-hashing secret, top-ups off, migrations left to the migrate command),
/// with only the settings of the case on top. Nothing listens on a port: the benchmark calls the usage recorder directly.
/// </summary>
internal sealed class InProcessHost(IReadOnlyDictionary<string, string> settings) : WebApplicationFactory<Program>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Production");
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }
    }
}
