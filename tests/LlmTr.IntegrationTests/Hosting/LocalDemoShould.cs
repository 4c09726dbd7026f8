using LlmTr.Host.Demo;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting.Internal;

namespace LlmTr.IntegrationTests.Hosting;

/// <summary>Issue 18, finding 1: what only the local demo (or Development) gets: demo data by default, and the test checkout.</summary>
public sealed class LocalDemoShould
{
    // Issue 18, finding 1: a Production host without a configured database used to create a demo admin by default.
    [Theory]
    [InlineData("Production", null, null, false)]
    [InlineData("Staging", null, null, false)]
    [InlineData("Development", null, null, true)]
    [InlineData("Development", "Host=db", null, false)]
    [InlineData("Production", null, "true", true)]
    [InlineData("Production", "Host=db", "true", true)]
    public void LoadDemoDataByDefaultOnlyForTheLocalDemo(string environment, string? connectionString, string? demoEnabled, bool expected)
    {
        var demo = DemoMode.From(Settings(connectionString, demoEnabled), new HostingEnvironment { EnvironmentName = environment });

        Assert.Equal(expected, demo.Enabled);
    }

    // Issue 18, finding 1: the built-in test checkout exists in Development and the local demo, never in Production or Staging.
    [Theory]
    [InlineData("Development", "Host=db", true)]
    [InlineData("Development", null, true)]
    [InlineData("Demo", null, true)]
    [InlineData("Demo", "Host=db", false)]
    [InlineData("Production", null, false)]
    [InlineData("Production", "Host=db", false)]
    [InlineData("Staging", null, false)]
    public void AllowTestPaymentsOnlyInDevelopmentOrTheLocalDemo(string environment, string? connectionString, bool expected)
    {
        Assert.Equal(expected, DemoMode.AllowsTestPayments(Settings(connectionString, null), new HostingEnvironment { EnvironmentName = environment }));
    }

    private static IConfiguration Settings(string? connectionString, string? demoEnabled) =>
        new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Postgres"] = connectionString,
            ["Demo:Enabled"] = demoEnabled,
        }).Build();
}
