using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using LlmTr.Modules.Catalog.Contracts;
using LlmTr.Modules.Gateway;
using LlmTr.Modules.Gateway.Upstream;
using LlmTr.Modules.Keys.Contracts;
using LlmTr.Testing;
using LlmTr.Testing.Upstreams;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace LlmTr.IntegrationTests.Gateway;

/// <summary>
/// A model served from several deployments, each a fake provider of its own: traffic spreads by weight, a failing
/// deployment is set aside within the request that found it failing and comes back after its cooldown, a request that
/// must stay in Turkey never reaches a deployment abroad, and a deployment whose account has no credential gets nothing.
/// </summary>
public sealed class DeploymentRoutingShould : IAsyncLifetime
{
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);
    private readonly Dictionary<string, FakeUpstream> _upstreams = [];
    private readonly Dictionary<string, int> _failing = [];
    private readonly Dictionary<string, TimeSpan> _slow = [];
    private GatewayHost _gateway = null!;
    private string _key = "";

    public async Task InitializeAsync()
    {
        foreach (var name in new[] { "east", "west", "istanbul", "spare" })
        {
            _upstreams[name] = await FakeUpstream.StartAsync(async (_, context) =>
            {
                if (_slow.GetValueOrDefault(name) is { Ticks: > 0 } delay)
                {
                    await Task.Delay(delay); // a slow provider, not a wait of the test's own
                }

                await (_failing.GetValueOrDefault(name) is var status && status != 0
                    ? Sse.JsonAsync(context, status, FakeOpenAi.Error("overloaded"))
                    : Sse.JsonAsync(context, 200, FakeOpenAi.Completion($"from {name}")));
            });
        }

        _gateway = await GatewayHost.StartAsync([], new Dictionary<string, string?>
        {
            ["Providers:acct-east:ApiKey"] = "sk-east-secret-0123456789",
            ["Providers:acct-west:ApiKey"] = "sk-west-secret-0123456789",
            ["Providers:acct-istanbul:ApiKey"] = "sk-istanbul-secret-0123456789",
            ["Gateway:Routing:FailuresToEject"] = "1",
            ["Gateway:Routing:Cooldown"] = "00:00:30",
        }, services => services.Replace(ServiceDescriptor.Singleton(sp =>
            new DeploymentHealth(sp.GetRequiredService<IOptions<GatewayOptions>>(), _clock))));
        _key = (await _gateway.FundedKeyAsync(key: new NewApiKey("routing", RequestsPerMinute: 100_000))).Key.RawKey;
        var accounts = _gateway.Host.Services.GetRequiredService<IDeploymentAdministration>();
        foreach (var account in new[] { "acct-east", "acct-west", "acct-istanbul", "acct-spare" })
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
    public async Task SpreadTrafficByWeightAcrossHealthyDeployments()
    {
        var model = await AddModelAsync(("east", 300, Abroad), ("west", 100, Abroad));

        var served = new Dictionary<string, int>();
        for (var i = 0; i < 1000; i++)
        {
            var (status, body, headers) = await ChatAsync(model);
            Assert.Equal(HttpStatusCode.OK, status);
            var deployment = headers.GetValues("x-llmtr-served-by").Single().Split("; deployment=")[1];
            served[deployment] = served.GetValueOrDefault(deployment) + 1;
            Assert.Equal($"from {deployment}", Content(body));
        }

        Assert.InRange(served["east"], 675, 825); // 750 ± 10%
        Assert.InRange(served["west"], 225, 275); // 250 ± 10%
    }

    [Fact]
    public async Task EjectAFailingDeploymentWithinOneRequestAndTryItAgainAfterItsCooldown()
    {
        var model = await AddModelAsync(("east", 100, Abroad), ("west", 100, Abroad));
        _failing["east"] = 503;
        var east = _upstreams["east"];
        var before = east.Received.Count;

        // Until east has been tried once, every answer still comes, from west: the request that found east failing
        // was retried there before anything reached the client.
        await Poll.UntilAsync(async () =>
        {
            var (status, body, _) = await ChatAsync(model);
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Equal("from west", Content(body));
            return east.Received.Count > before;
        }, "a request to reach the failing deployment");
        var tried = east.Received.Count;

        for (var i = 0; i < 30; i++)
        {
            var (status, body, headers) = await ChatAsync(model);
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Equal($"{model}; deployment=west", headers.GetValues("x-llmtr-served-by").Single());
            Assert.Equal("from west", Content(body));
        }

        Assert.Equal(tried, east.Received.Count); // ejected: sent nothing during its cooldown

        _failing["east"] = 0;
        _clock.Advance(TimeSpan.FromSeconds(31));
        await Poll.UntilAsync(async () => Content((await ChatAsync(model)).Body) == "from east", "the deployment to take traffic again after its cooldown");
        Assert.True(east.Received.Count > tried);
    }

    [Fact]
    public async Task KeepARequestThatMustStayInTurkeyOnTheDeploymentsInTurkey()
    {
        var model = await AddModelAsync(("east", 1000, Abroad), ("istanbul", 0, InTurkey));
        var east = _upstreams["east"];
        var before = east.Received.Count;

        for (var i = 0; i < 40; i++)
        {
            var (status, body, headers) = await ChatAsync(model, ""","llmtr":{"residency":"TR"}""");
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Equal("from istanbul", Content(body));
            Assert.Equal("TR", headers.GetValues("x-llmtr-processed-in").Single());
        }

        Assert.Equal(before, east.Received.Count);
        Assert.False(_gateway.Catalog.FindModel(model)!.HostedInTurkey); // one deployment abroad: the model is not Turkey-hosted

        var (_, unconstrained, _) = await ChatAsync(model);
        Assert.Equal("from east", Content(unconstrained)); // without the requirement, the heavier deployment abroad is used
        await Poll.UntilAsync(async () => (await Sql.RowsAsync(_gateway.Host.ConnectionString,
            """SELECT concat_ws('|', "Deployment", array_to_string("ProcessedIn", ',')) FROM billing.usage_records WHERE "ModelId" = @m""", ("m", model)))
            .Count == 41, "the usage rows");
        var rows = await Sql.RowsAsync(_gateway.Host.ConnectionString,
            """SELECT concat_ws('|', "Deployment", array_to_string("ProcessedIn", ',')) FROM billing.usage_records WHERE "ModelId" = @m""", ("m", model));
        Assert.Equal(40, rows.Count(r => r == "istanbul|TR"));
        Assert.Equal(1, rows.Count(r => r == "east|TR,US"));
    }

    [Fact]
    public async Task RefuseAResidencyRequirementNoActiveDeploymentMeets()
    {
        var model = await AddModelAsync(disabled: "istanbul", ("east", 100, Abroad), ("istanbul", 100, InTurkey));

        var (status, body, _) = await ChatAsync(model, ""","llmtr":{"residency":"TR"}""");

        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Contains("residency_not_satisfied", body, StringComparison.Ordinal);
        Assert.Contains("outside Turkey", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendNothingToADeploymentWhoseAccountHasNoCredential()
    {
        var model = await AddModelAsync(("spare", 1000, Abroad), ("west", 1, Abroad));
        var spare = _upstreams["spare"];
        var before = spare.Received.Count;

        for (var i = 0; i < 20; i++)
        {
            Assert.Equal("from west", Content((await ChatAsync(model)).Body));
        }

        Assert.Equal(before, spare.Received.Count);
        Assert.All(_upstreams["west"].Received.TakeLast(20), r => Assert.Equal("Bearer sk-west-secret-0123456789", r.Header("Authorization")));
    }

    [Fact]
    public async Task RejectADeploymentOfAnUnknownAccountOrAnotherProtocolAndWriteNothing()
    {
        var model = await AddModelAsync(("west", 100, Abroad));
        var administration = _gateway.Host.Services.GetRequiredService<IDeploymentAdministration>();
        var valid = new DeploymentInput(model, "second", "acct-west", "", "https://second.example/v1", "", null, [], 100, "Active");

        var unknownAccount = await administration.SaveDeploymentAsync(valid with { AccountId = "nobody" }, "tests");
        var otherProtocol = await administration.SaveDeploymentAsync(valid with { Protocol = nameof(ApiProtocol.Gemini) }, "tests");
        var unknownModel = await administration.SaveDeploymentAsync(valid with { ModelId = "deepseek/no-such-model" }, "tests");

        Assert.Contains("There is no provider account 'nobody'", unknownAccount.Errors[nameof(DeploymentInput.AccountId)][0], StringComparison.Ordinal);
        Assert.Contains("speak OpenAi", otherProtocol.Errors[nameof(DeploymentInput.Protocol)][0], StringComparison.Ordinal);
        Assert.Contains("There is no model", unknownModel.Errors[nameof(DeploymentInput.ModelId)][0], StringComparison.Ordinal);
        Assert.Equal(2, await Sql.CountAsync(_gateway.Host.ConnectionString, """SELECT count(*) FROM catalog.deployments WHERE "ModelId" = @m""", ("m", model))); // west and the default
        Assert.Equal(0, await Sql.CountAsync(_gateway.Host.ConnectionString, """SELECT count(*) FROM catalog.changes WHERE "Subject" LIKE @s""", ("s", $"deployment:{model}@second")));
    }

    [Fact]
    public async Task UseOnlyIgnoreAndOrderTheDeploymentsARequestNamesOnChatMessagesAndResponses()
    {
        var model = await AddModelAsync(("east", 300, Abroad), ("west", 100, Abroad));

        for (var i = 0; i < 8; i++)
        {
            Assert.Equal("from west", Content((await ChatAsync(model, ""","llmtr":{"provider":{"only":["west"]}}""")).Body));
            Assert.Equal("from west", Content((await ChatAsync(model, ""","llmtr":{"provider":{"ignore":["east"]}}""")).Body));
            Assert.Equal("from west", Content((await ChatAsync(model, ""","llmtr":{"provider":{"order":["west","east"]}}""")).Body));
        }

        var messages = await PostAsync("/v1/messages", $$$"""{"model":"{{{model}}}","llmtr":{"provider":{"only":["west"]}},"max_tokens":64,"messages":[{"role":"user","content":"hi"}]}""");
        Assert.Equal(HttpStatusCode.OK, messages.Status);
        Assert.Equal($"{model}; deployment=west", messages.Headers.GetValues("x-llmtr-served-by").Single());
        Assert.Contains("from west", messages.Body, StringComparison.Ordinal);

        var responses = await PostAsync("/v1/responses", $$"""{"model":"{{model}}","input":"hi"}""", ("x-llmtr-route", """{"provider":{"only":["west"]}}"""));
        Assert.Equal(HttpStatusCode.OK, responses.Status);
        Assert.Equal($"{model}; deployment=west", responses.Headers.GetValues("x-llmtr-served-by").Single());
        Assert.Contains("from west", responses.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TryNoOtherDeploymentWhenTheRequestAllowsNoFallbacks()
    {
        var model = await AddModelAsync(("east", 100, Abroad), ("west", 100, Abroad));
        _failing["east"] = 503;
        var west = _upstreams["west"].Received.Count;
        try
        {
            var (status, body, _) = await ChatAsync(model, ""","llmtr":{"provider":{"order":["east"],"allow_fallbacks":false}}""");

            Assert.Equal(HttpStatusCode.BadGateway, status);
            Assert.Contains("provider_error", body, StringComparison.Ordinal);
            Assert.Equal(west, _upstreams["west"].Received.Count);
        }
        finally
        {
            _failing["east"] = 0;
        }
    }

    [Fact]
    public async Task FallBackToTheRequestsOwnModelsInItsOrderAndRefuseAnUnknownOne()
    {
        var failing = await AddModelAsync(("east", 100, Abroad));
        var other = await AddModelAsync(("west", 100, Abroad));
        _failing["east"] = 503;
        try
        {
            var (status, body, headers) = await ChatAsync(failing, $$""","llmtr":{"models":["{{other}}"]}""");
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Equal("from west", Content(body));
            Assert.Equal($"{other}; deployment=west", headers.GetValues("x-llmtr-served-by").Single());

            var unknown = await ChatAsync(failing, $$""","llmtr":{"models":["{{other}}","deepseek/no-such-model"]}""");
            Assert.Equal(HttpStatusCode.BadRequest, unknown.Status);
            Assert.Equal("llmtr.models[1]", JsonDocument.Parse(unknown.Body).RootElement.GetProperty("error").GetProperty("param").GetString());
        }
        finally
        {
            _failing["east"] = 0;
        }
    }

    [Fact]
    public async Task SortByPriceOrByWhatEachDeploymentTookLately()
    {
        var dear = await AddModelAsync(("east", 100, Abroad));
        var cheap = await AddModelAsync(("west", 100, Abroad));
        var catalog = _gateway.Host.Services.GetRequiredService<ICatalogAdministration>();
        foreach (var (id, price) in new[] { (dear, 10m), (cheap, 1m) })
        {
            Assert.True((await catalog.SetPriceAsync(new PriceInput(id, nameof(PriceUnit.InputTokensPerMillion), price, DateTimeOffset.UtcNow.AddDays(-1)), "tests")).Succeeded);
        }

        await Poll.UntilAsync(() => Task.FromResult(_gateway.Catalog.FindModel(cheap)!.PriceHistory.Count == 1), "the prices to reach the catalog");
        Assert.Equal("from west", Content((await ChatAsync(dear, $$$""","llmtr":{"models":["{{{cheap}}}"],"provider":{"sort":"price"}}""")).Body));
        Assert.Equal("from east", Content((await ChatAsync(dear, $$""","llmtr":{"models":["{{cheap}}"]}""")).Body));

        var both = await AddModelAsync(("east", 1000, Abroad), ("west", 1, Abroad));
        _slow["east"] = TimeSpan.FromMilliseconds(300);
        try
        {
            Assert.Equal("from east", Content((await ChatAsync(both, ""","llmtr":{"provider":{"only":["east"]}}""")).Body));
            Assert.Equal("from west", Content((await ChatAsync(both, ""","llmtr":{"provider":{"only":["west"]}}""")).Body));
            for (var i = 0; i < 5; i++)
            {
                Assert.Equal("from west", Content((await ChatAsync(both, ""","llmtr":{"provider":{"sort":"latency"}}""")).Body));
            }
        }
        finally
        {
            _slow["east"] = TimeSpan.Zero;
        }
    }

    private static readonly DataPathHop Gateway = new("LLMTR gateway", "TR", "Istanbul", "Routes", "Metadata only", false, HopRetention.MetadataOnly);

    private static readonly DataPathHop[] Abroad = [Gateway, new("Upstream", "US", null, "Runs the model", "Up to 30 days", false, HopRetention.Content)];

    private static readonly DataPathHop[] InTurkey = [Gateway, new("LLMTR inference", "TR", "Istanbul", "Runs the model", "Not retained", false, HopRetention.Nothing)];

    /// <summary>A new model on the deepseek provider served by the named fakes, each through the account of its name.</summary>
    private Task<string> AddModelAsync(params (string Name, int Weight, DataPathHop[] Path)[] deployments) => AddModelAsync(null, deployments);

    private async Task<string> AddModelAsync(string? disabled, params (string Name, int Weight, DataPathHop[] Path)[] deployments)
    {
        var id = $"deepseek/routing-{Guid.NewGuid():N}"[..34];
        var catalog = _gateway.Host.Services.GetRequiredService<ICatalogAdministration>();
        var saved = await catalog.SaveModelAsync(new ModelInput(id, "routing-model", "Routing model", "For routing tests.", "Yönlendirme testleri için.",
            32_000, 4_096, ["text"], ["text"], ["chat", "streaming"], [], "Active", "Public", [], null, Abroad), "tests");
        Assert.True(saved.Succeeded, string.Join(" ", saved.Errors.SelectMany(e => e.Value)));
        var administration = _gateway.Host.Services.GetRequiredService<IDeploymentAdministration>();
        foreach (var (name, weight, path) in deployments)
        {
            var status = name == disabled ? nameof(DeploymentStatus.Disabled) : nameof(DeploymentStatus.Active);
            var result = await administration.SaveDeploymentAsync(new DeploymentInput(id, name, $"acct-{name}", nameof(ApiProtocol.OpenAi),
                new Uri(_upstreams[name].BaseAddress, "/v1").ToString(), "", null, path, weight, status), "tests");
            Assert.True(result.Succeeded, string.Join(" ", result.Errors.SelectMany(e => e.Value)));
        }

        // The provider's default deployment, which served the model before it had any of its own, stays beside them; its
        // account (deepseek) has no credential here, so it never takes traffic while these have one.
        await Poll.UntilAsync(() => Task.FromResult(_gateway.Catalog.FindModel(id)?.Deployments.Count == deployments.Length + 1), "the deployments to reach the catalog");
        Assert.Equal("deepseek", _gateway.Catalog.FindModel(id)!.Deployments[0].Name);
        return id;
    }

    private Task<(HttpStatusCode Status, string Body, HttpResponseHeaders Headers)> ChatAsync(string model, string extra = "") =>
        PostAsync("/v1/chat/completions", $$"""{"model":"{{model}}","messages":[{"role":"user","content":"hi"}]{{extra}}}""");

    private async Task<(HttpStatusCode Status, string Body, HttpResponseHeaders Headers)> PostAsync(string path, string json, params (string Name, string Value)[] headers)
    {
        using var client = _gateway.Host.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _key);
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        using var response = await client.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(), response.Headers);
    }

    private static string? Content(string body) =>
        JsonDocument.Parse(body).RootElement.TryGetProperty("choices", out var choices) ? choices[0].GetProperty("message").GetProperty("content").GetString() : null;
}
