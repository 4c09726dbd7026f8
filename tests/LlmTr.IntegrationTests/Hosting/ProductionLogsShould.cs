using System.Diagnostics;
using System.Net;
using System.Text.Json;
using LlmTr.Testing;

namespace LlmTr.IntegrationTests.Hosting;

/// <summary>The host as deployed: its own process, Production settings, logs read from its standard output.</summary>
public sealed class ProductionLogsShould
{
    [Fact]
    public async Task BeJsonLinesThatCarryTheRequestIdAndNoSecret()
    {
        var server = await PostgresServer.InstanceAsync();
        var connectionString = await server.CreateMigratedDatabaseAsync() + ";Password=db-secret-that-must-not-leak";
        var port = FreePort.Next();
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "LlmTr.Host.dll"), "--urls", $"http://127.0.0.1:{port}"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["ConnectionStrings__Postgres"] = connectionString;
        start.Environment["LocalState__Directory"] = Path.Combine(Path.GetTempPath(), "llmtr-test-state", Guid.NewGuid().ToString("N"));
        start.Environment["Jobs__ServerEnabled"] = "false";
        start.Environment["Logging__LogLevel__Microsoft.AspNetCore.Hosting.Diagnostics"] = "Information";
        // Production refuses to start without these (issue 18): the hash secret, and a payment provider or top-ups off.
        start.Environment["Keys__HashSecret"] = LlmTrHostFactory.TestKeyHashSecret;
        start.Environment["Billing__TopUpsEnabled"] = "false";
        foreach (var (name, value) in ProductionMail.Environment)
        {
            start.Environment[name] = value; // and a mail server with the site's public address
        }

        using var host = Process.Start(start)!;
        var output = host.StandardOutput.ReadToEndAsync();
        var errors = host.StandardError.ReadToEndAsync();
        try
        {
            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            // As long as HostServer waits for a host process: on a busy CI machine, with other test classes' hosts running
            // at once, a start can take far longer than on a quiet one. A host that exits instead fails at once, saying why.
            await Poll.UntilAsync(async () => host.HasExited || await IsReadyAsync(client), "the host to answer /health/ready", TimeSpan.FromSeconds(90));
            Assert.False(host.HasExited, $"The host exited with {(host.HasExited ? host.ExitCode : 0)}: {(host.HasExited ? await errors : "")}");
            using var request = new HttpRequestMessage(HttpMethod.Get, "/account/login");
            Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(request)).StatusCode);
        }
        finally
        {
            host.Kill(entireProcessTree: true);
            await host.WaitForExitAsync();
        }

        var lines = (await output).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(line => line.StartsWith('{')).ToList();
        Assert.NotEmpty(lines);
        var requestLog = lines.Select(line => JsonDocument.Parse(line).RootElement)
            .First(log => log.GetProperty("Message").GetString()!.Contains("/account/login", StringComparison.Ordinal));
        Assert.Contains(requestLog.GetProperty("Scopes").EnumerateArray(),
            scope => scope.ValueKind == JsonValueKind.Object && scope.TryGetProperty("RequestId", out _));
        Assert.DoesNotContain("db-secret-that-must-not-leak", await output, StringComparison.Ordinal);
        Assert.DoesNotContain("db-secret-that-must-not-leak", await errors, StringComparison.Ordinal);
    }

    private static async Task<bool> IsReadyAsync(HttpClient client)
    {
        try
        {
            return (await client.GetAsync(new Uri("/health/ready", UriKind.Relative))).StatusCode == HttpStatusCode.OK;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }
}
