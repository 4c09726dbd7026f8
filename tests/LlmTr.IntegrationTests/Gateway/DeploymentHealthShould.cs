using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;
using LlmTr.Modules.Billing.Contracts;
using LlmTr.Modules.Catalog.Contracts;
using LlmTr.Modules.Billing.Health;
using LlmTr.Modules.Keys.Contracts;
using LlmTr.Testing;
using LlmTr.Testing.Upstreams;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace LlmTr.IntegrationTests.Gateway;

/// <summary>
/// Requests through the gateway to a model with two deployments, one of which fails some of them, leave usage rows
/// that name the deployment and its upstream latency, and deployment health read from those rows counts exactly what
/// happened: requests, errors (a provider's rejection of a bad request is not the deployment's error), the latest
/// error and the latency percentiles.
/// </summary>
public sealed class DeploymentHealthShould : IAsyncLifetime
{
    /// <summary>What the test counts as slow; the slow answers wait longer, since a timer may fire a millisecond early.</summary>
    private static readonly TimeSpan SlowAnswer = TimeSpan.FromMilliseconds(60);
    private readonly Dictionary<string, FakeUpstream> _upstreams = [];
    private GatewayHost _gateway = null!;
    private string _key = "";

    public async Task InitializeAsync()
    {
        foreach (var name in new[] { "east", "west" })
        {
            // The fake's answer is chosen by the prompt, so the test decides exactly which requests fail.
            _upstreams[name] = await FakeUpstream.StartAsync(async (request, context) =>
            {
                if (request.Body.Contains("slow", StringComparison.Ordinal))
                {
                    await Task.Delay(SlowAnswer + TimeSpan.FromMilliseconds(20)); // a slow provider, not a wait of the test's own
                }

                await (request.Body.Contains("break", StringComparison.Ordinal) ? Sse.JsonAsync(context, 500, FakeOpenAi.Error("internal failure"))
                    : request.Body.Contains("reject", StringComparison.Ordinal) ? Sse.JsonAsync(context, 400, FakeOpenAi.Error("bad request", "invalid_request_error"))
                    : Sse.JsonAsync(context, 200, FakeOpenAi.Completion($"from {name}")));
            });
        }

        _gateway = await GatewayHost.StartAsync([], new Dictionary<string, string?>
        {
            ["Providers:acct-east:ApiKey"] = "sk-east-secret-0123456789",
            ["Providers:acct-west:ApiKey"] = "sk-west-secret-0123456789",
            ["Gateway:Routing:FailuresToEject"] = "1000", // failures must reach the deployment every time, not be routed around
        });
        _key = (await _gateway.FundedKeyAsync(key: new NewApiKey("health", RequestsPerMinute: 100_000))).Key.RawKey;
        var accounts = _gateway.Host.Services.GetRequiredService<IDeploymentAdministration>();
        foreach (var account in new[] { "acct-east", "acct-west" })
        {
            Assert.True((await accounts.SaveAccountAsync(new AccountInput(account, account), "tests")).Succeeded);
        }
    }

    public async Task DisposeAsync()
    {
        await _gateway.DisposeAsync();
        foreach (var upstream in _upstreams.Values)
        {
            await upstream.DisposeAsync();
        }
    }

    [Fact]
    public async Task CountRequestsErrorsLatencyAndTheLastErrorOfEachDeploymentFromTheUsageRows()
    {
        var model = await AddModelAsync("east", "west");
        var since = DateTimeOffset.UtcNow.AddMinutes(-1);

        // East: 6 answers (2 of them slow), 1 rejection of the request (400), 3 failures (500): the last request is a failure.
        string[] east = ["ok", "slow", "break", "ok", "reject", "slow", "ok", "break", "ok", "break"];
        foreach (var prompt in east)
        {
            var status = await ChatAsync(model, "east", prompt);
            Assert.Equal(prompt switch { "break" => HttpStatusCode.BadGateway, "reject" => HttpStatusCode.BadRequest, _ => HttpStatusCode.OK }, status);
        }

        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(HttpStatusCode.OK, await ChatAsync(model, "west", "ok"));
        }

        await Poll.UntilAsync(async () => await Sql.CountAsync(_gateway.Host.ConnectionString,
            """SELECT count(*) FROM billing.usage_records WHERE "ModelId" = @m""", ("m", model)) == 14, "the usage rows to be written");
        Assert.Equal(0, await Sql.CountAsync(_gateway.Host.ConnectionString,
            """SELECT count(*) FROM billing.usage_records WHERE "ModelId" = @m AND ("Deployment" IS NULL OR "UpstreamLatencyMs" IS NULL OR "UpstreamLatencyMs" < 0)""", ("m", model)));
        Assert.InRange(await Sql.CountAsync(_gateway.Host.ConnectionString, // the two slow answers at least (a busy machine may add others)
            """SELECT count(*) FROM billing.usage_records WHERE "ModelId" = @m AND "Deployment" = 'east' AND "UpstreamLatencyMs" >= @slow""",
            ("m", model), ("slow", (int)SlowAnswer.TotalMilliseconds)), 2, 10);
        var lastFailure = await Sql.RowsAsync(_gateway.Host.ConnectionString,
            """SELECT to_char(max("StartedAt") AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US') FROM billing.usage_records WHERE "ModelId" = @m AND "Outcome" = 'Failed' AND "HttpStatus" = 502""",
            ("m", model));

        var statistics = _gateway.Host.Services.GetRequiredService<IDeploymentStatistics>();
        var rows = (await statistics.SinceAsync(since)).Where(r => r.ModelId == model).ToList();

        Assert.Equal(["east", "west"], rows.Select(r => r.Deployment));
        var failing = rows[0];
        Assert.Equal(10, failing.Requests);
        Assert.Equal(3, failing.Errors);
        Assert.Equal(0.3, failing.ErrorRate, 10);
        Assert.Equal("provider_error", failing.LastError);
        Assert.Equal(lastFailure.Single(), failing.LastErrorAt?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff", System.Globalization.CultureInfo.InvariantCulture));
        Assert.NotNull(failing.UpstreamP50);
        Assert.NotNull(failing.UpstreamP99);
        Assert.True(failing.UpstreamP50 <= failing.UpstreamP99, $"p50 {failing.UpstreamP50} is above p99 {failing.UpstreamP99}");
        Assert.True(failing.UpstreamP99 >= SlowAnswer, $"p99 {failing.UpstreamP99} is below the two slow answers' {SlowAnswer}");

        var healthy = rows[1];
        Assert.Equal((4L, 0L, 0d, (string?)null, (DateTimeOffset?)null), (healthy.Requests, healthy.Errors, healthy.ErrorRate, healthy.LastError, healthy.LastErrorAt));
        Assert.NotNull(healthy.UpstreamP50);
        Assert.True(healthy.UpstreamP50 <= healthy.UpstreamP99);

        // The window is the rows' start: nothing after now, and the status rule reads these rows as degraded (30% errors).
        Assert.DoesNotContain(await statistics.SinceAsync(DateTimeOffset.UtcNow.AddMinutes(1)), r => r.ModelId == model);
        Assert.Equal(ModelServiceStatus.Degraded, ModelServiceStatusRule.Of(model, rows, rows));
    }

    [Fact]
    public async Task ReadTheWindowThroughTheStartedAtIndexWithoutVisitingTheTable()
    {
        // On a small table the planner rightly prefers reading it whole; without that choice, the query must be able to
        // answer from the index alone (an index-only scan: every column it reads is in the index).
        await using var connection = new NpgsqlConnection(_gateway.Host.ConnectionString);
        await connection.OpenAsync();
        await using (var off = new NpgsqlCommand("SET enable_seqscan = off; SET enable_bitmapscan = off", connection))
        {
            await off.ExecuteNonQueryAsync();
        }

        await using var explain = new NpgsqlCommand("EXPLAIN " + DeploymentStatistics.Sql, connection);
        explain.Parameters.AddWithValue("since", DateTimeOffset.UtcNow.AddHours(-1));
        var plan = new List<string>();
        await using (var reader = await explain.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                plan.Add(reader.GetString(0));
            }
        }

        // Each monthly partition has its own copy of the index, named after it (IX_usage_records_2026_12_StartedAt).
        Assert.Contains(plan, line => Regex.IsMatch(line, "Index Only Scan using \"IX_usage_records_[0-9]{4}_[0-9]{2}_StartedAt\""));
    }

    private static readonly DataPathHop[] Path =
    [
        new("LLMTR gateway", "TR", "Istanbul", "Routes", "Metadata only", false, HopRetention.MetadataOnly),
        new("Upstream", "US", null, "Runs the model", "Up to 30 days", false, HopRetention.Content),
    ];

    /// <summary>A new model on the deepseek provider served by the named fakes, each through the account of its name.</summary>
    private async Task<string> AddModelAsync(params string[] deployments)
    {
        var id = $"deepseek/health-{Guid.NewGuid():N}"[..33];
        var catalog = _gateway.Host.Services.GetRequiredService<ICatalogAdministration>();
        var saved = await catalog.SaveModelAsync(new ModelInput(id, "health-model", "Health model", "For health tests.", "Sağlık testleri için.",
            32_000, 4_096, ["text"], ["text"], ["chat", "streaming"], [], "Active", "Public", [], null, Path), "tests");
        Assert.True(saved.Succeeded, string.Join(" ", saved.Errors.SelectMany(e => e.Value)));
        var administration = _gateway.Host.Services.GetRequiredService<IDeploymentAdministration>();
        foreach (var name in deployments)
        {
            var result = await administration.SaveDeploymentAsync(new DeploymentInput(id, name, $"acct-{name}", nameof(ApiProtocol.OpenAi),
                new Uri(_upstreams[name].BaseAddress, "/v1").ToString(), "", null, Path, 100, nameof(DeploymentStatus.Active)), "tests");
            Assert.True(result.Succeeded, string.Join(" ", result.Errors.SelectMany(e => e.Value)));
        }

        // Plus the provider's default deployment, kept beside them; its account has no credential here, so it takes no traffic.
        await Poll.UntilAsync(() => Task.FromResult(_gateway.Catalog.FindModel(id)?.Deployments.Count == deployments.Length + 1), "the deployments to reach the catalog");
        return id;
    }

    /// <summary>A chat request kept on one deployment (no other deployment or model may take it), with a prompt the fake answers by.</summary>
    private async Task<HttpStatusCode> ChatAsync(string model, string deployment, string prompt)
    {
        using var client = _gateway.Host.CreateClient();
        var route = $$$"""{"provider":{"order":["{{{deployment}}}"],"allow_fallbacks":false}}""";
        var json = $$$"""{"model":"{{{model}}}","messages":[{"role":"user","content":"{{{prompt}}}"}],"llmtr":{{{route}}}}""";
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _key);
        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }
}
