using System.Net;
using System.Text;
using System.Text.Json;
using LlmTr.IntegrationTests.Gateway;
using LlmTr.Modules.Catalog.Contracts;
using LlmTr.Testing;
using LlmTr.Testing.Upstreams;
using Microsoft.Extensions.DependencyInjection;

namespace LlmTr.IntegrationTests.Residency;

/// <summary>
/// Per-request residency (<c>llmtr.residency</c>, <c>llmtr.retention</c>): refused before any upstream call when the
/// model's data path does not satisfy it, served when it does, fallbacks limited to compliant models; and the
/// processing headers on every answer.
/// </summary>
public sealed class ResidencyShould(OpenAiGatewayFixture fixture) : IClassFixture<OpenAiGatewayFixture>
{
    private const string Global = "openai/gpt-4o";
    private const string InTurkey = "llmtr/llama-3.3-70b";

    private GatewayHost Gateway => fixture.Gateway;

    [Fact]
    public async Task RefuseAGlobalModelWithoutCallingItsProvider()
    {
        var (_, key) = await Gateway.FundedKeyAsync();
        var before = fixture.Upstream.Server.Received.Count;

        var (status, body, _) = await ChatAsync(key.RawKey, Global, """{"residency":"TR"}""");

        Assert.Equal(HttpStatusCode.Forbidden, status);
        var error = body.GetProperty("error");
        Assert.Equal(("forbidden", "residency_not_satisfied", "model"), (error.GetProperty("type").GetString(), error.GetProperty("code").GetString(), error.GetProperty("param").GetString()));
        Assert.Contains("'openai/gpt-4o' processes data outside Turkey", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Contains("LLMTR gateway (TR) → OpenAI (US)", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(before, fixture.Upstream.Server.Received.Count);
    }

    [Fact]
    public async Task ServeATurkeyHostedModelAndKeepTheOptionsFromTheProvider()
    {
        var (_, key) = await Gateway.FundedKeyAsync();
        fixture.Upstream.Respond = (_, context) => Sse.JsonAsync(context, 200, FakeOpenAi.Completion("Merhaba"));

        var (status, body, headers) = await ChatAsync(key.RawKey, InTurkey, """{"residency":"TR","retention":"none"}""");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Merhaba", body.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString());
        Assert.Equal(("TR", "true"), (headers["x-llmtr-processed-in"], headers["x-llmtr-hosted-in-turkey"]));
        var sent = fixture.Upstream.Last.Json;
        Assert.Equal("llama-3.3-70b-instruct", sent.GetProperty("model").GetString());
        Assert.False(sent.TryGetProperty("llmtr", out _));
    }

    [Fact]
    public async Task RefuseAModelWhoseProviderKeepsDataWhenRetentionNoneIsRequired()
    {
        var (_, key) = await Gateway.FundedKeyAsync();
        var before = fixture.Upstream.Server.Received.Count;

        var (status, body, _) = await ChatAsync(key.RawKey, Global, """{"retention":"none"}""");

        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Contains("OpenAI (US) keeps request content: \"Up to 30 days for abuse monitoring\"", body.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(before, fixture.Upstream.Server.Received.Count);
    }

    [Fact]
    public async Task HoldAKeyWithTheNoRetentionDefaultToItOnEveryRequest()
    {
        var (_, key) = await Gateway.FundedKeyAsync(key: new Modules.Keys.Contracts.NewApiKey("no retention", NoRetention: true));
        var before = fixture.Upstream.Server.Received.Count;

        var (status, body, _) = await ChatAsync(key.RawKey, Global, null);

        Assert.Equal(HttpStatusCode.Forbidden, status);
        var error = body.GetProperty("error");
        Assert.Equal(("forbidden", "model_not_allowed"), (error.GetProperty("type").GetString(), error.GetProperty("code").GetString()));
        Assert.Contains("restricted to retention 'none'", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(before, fixture.Upstream.Server.Received.Count);

        fixture.Upstream.Respond = (_, context) => Sse.JsonAsync(context, 200, FakeOpenAi.Completion("kept nothing"));
        (status, body, _) = await ChatAsync(key.RawKey, InTurkey, null);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("kept nothing", body.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString());
    }

    [Fact]
    public async Task JudgeRetentionByTheHopsStructuredFieldNotByItsWording()
    {
        // Worded as if nothing were kept, but marked as keeping content: refused. Worded loosely, marked as keeping nothing: served.
        var misleading = await AddTurkeyModelAsync([], new DataPathHop("Operator", "TR", null, "Runs the model", "Not retained (except for audits)", false, HopRetention.Content));
        var plain = await AddTurkeyModelAsync([], new DataPathHop("Operator", "TR", null, "Runs the model", "Discarded once answered", false, HopRetention.Nothing));
        var (_, key) = await Gateway.FundedKeyAsync();
        fixture.Upstream.Respond = (_, context) => Sse.JsonAsync(context, 200, FakeOpenAi.Completion("ok"));

        var (status, body, _) = await ChatAsync(key.RawKey, misleading, """{"retention":"none"}""");
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Contains("Operator (TR) keeps request content", body.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);

        (status, _, _) = await ChatAsync(key.RawKey, plain, """{"retention":"none"}""");
        Assert.Equal(HttpStatusCode.OK, status);
    }

    [Fact]
    public async Task FallBackOnlyToModelsThatSatisfyTheRequirement()
    {
        var primary = await AddTurkeyModelAsync([Global, "llmtr/gemma-3-27b"]);
        fixture.Upstream.Respond = (request, context) => request.Json.GetProperty("model").GetString() == "gemma-3-27b-it"
            ? Sse.JsonAsync(context, 200, FakeOpenAi.Completion("from gemma"))
            : Sse.JsonAsync(context, 503, FakeOpenAi.Error("overloaded"));
        var (_, key) = await Gateway.FundedKeyAsync();
        var before = fixture.Upstream.Server.Received.Count;

        var (status, body, headers) = await ChatAsync(key.RawKey, primary, """{"residency":"TR"}""");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("from gemma", body.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString());
        Assert.Equal("llmtr/gemma-3-27b; deployment=llmtr", headers["x-llmtr-served-by"]);
        var models = fixture.Upstream.Server.Received.Skip(before).Select(r => r.Json.GetProperty("model").GetString()).ToList();
        Assert.Equal(["primary-upstream", "gemma-3-27b-it"], models);

        // Without the requirement the global fallback comes first, as the catalog orders it.
        before = fixture.Upstream.Server.Received.Count;
        fixture.Upstream.Respond = (request, context) => request.Json.GetProperty("model").GetString() == "primary-upstream"
            ? Sse.JsonAsync(context, 503, FakeOpenAi.Error("overloaded"))
            : Sse.JsonAsync(context, 200, FakeOpenAi.Completion("from " + request.Json.GetProperty("model").GetString()));
        (_, body, _) = await ChatAsync(key.RawKey, primary, null);
        Assert.Equal("from gpt-4o", body.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString());
    }

    [Fact]
    public async Task AnnounceWhereTheRequestWasProcessedOnStreamedAndWholeAnswers()
    {
        var (_, key) = await Gateway.FundedKeyAsync();
        fixture.Upstream.Respond = (_, context) => Sse.JsonAsync(context, 200, FakeOpenAi.Completion("ok"));
        var (_, _, whole) = await ChatAsync(key.RawKey, Global, null);
        fixture.Upstream.Respond = (_, context) => FakeOpenAi.StreamAsync(context, ["o", "k"]);
        var (status, _, streamed) = await ChatAsync(key.RawKey, InTurkey, null, stream: true);

        Assert.Equal(("TR,US", "false"), (whole["x-llmtr-processed-in"], whole["x-llmtr-hosted-in-turkey"]));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(("TR", "true"), (streamed["x-llmtr-processed-in"], streamed["x-llmtr-hosted-in-turkey"]));
    }

    [Fact]
    public async Task RefuseAnUnknownOrMisspelledRequirementPrecisely()
    {
        var (_, key) = await Gateway.FundedKeyAsync();

        var (status, body, _) = await ChatAsync(key.RawKey, InTurkey, """{"residency":"EU"}""");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("llmtr.residency", body.GetProperty("error").GetProperty("param").GetString());

        (status, body, _) = await ChatAsync(key.RawKey, InTurkey, """{"residence":"TR"}""");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("llmtr.residence", body.GetProperty("error").GetProperty("param").GetString());
    }

    [Fact]
    public async Task RefuseThroughTheMessagesApiInAnthropicsFormat()
    {
        var (_, key) = await Gateway.FundedKeyAsync();
        var before = fixture.Upstream.Server.Received.Count;
        using var http = Gateway.Host.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/messages")
        {
            Content = new StringContent("""{"model":"openai/gpt-4o","max_tokens":10,"messages":[{"role":"user","content":"hi"}],"llmtr":{"residency":"TR"}}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("x-api-key", key.RawKey);

        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error");
        Assert.Equal("permission_error", error.GetProperty("type").GetString());
        Assert.Contains("processes data outside Turkey", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(before, fixture.Upstream.Server.Received.Count);
    }

    private async Task<(HttpStatusCode Status, JsonElement Body, Dictionary<string, string> Headers)> ChatAsync(string rawKey, string model, string? llmtr, bool stream = false)
    {
        using var http = Gateway.Host.CreateClient();
        var json = $$"""{"model":"{{model}}","messages":[{"role":"user","content":"Merhaba"}]{{(stream ? ",\"stream\":true" : "")}}{{(llmtr is null ? "" : ",\"llmtr\":" + llmtr)}}}""";
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", rawKey);
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var headers = response.Headers.ToDictionary(h => h.Key, h => string.Join(",", h.Value), StringComparer.OrdinalIgnoreCase);
        return (response.StatusCode, stream && response.IsSuccessStatusCode ? default : JsonDocument.Parse(text).RootElement.Clone(), headers);
    }

    private async Task<string> AddTurkeyModelAsync(string[] fallbacks, DataPathHop? runsAt = null)
    {
        var id = $"llmtr/test-{Guid.NewGuid():N}"[..28];
        var admin = Gateway.Host.Services.GetRequiredService<ICatalogAdministration>();
        var saved = await admin.SaveModelAsync(new ModelInput(id, "primary-upstream", "Test model", "For residency tests.", "Yerleşim testleri için.", 32_000, 4_096,
            ["text"], ["text"], ["chat", "streaming"], [], "Active", "Public", fallbacks, null,
            [new DataPathHop("LLMTR gateway", "TR", "Istanbul", "Routes", "Metadata only", false, HopRetention.MetadataOnly),
             runsAt ?? new DataPathHop("LLMTR inference", "TR", "Istanbul", "Runs the model", "Not retained after the response", false, HopRetention.Nothing)]), "tests");
        Assert.True(saved.Succeeded, string.Join(" ", saved.Errors.SelectMany(e => e.Value)));
        var catalog = Gateway.Host.Services.GetRequiredService<IModelCatalog>();
        await Poll.UntilAsync(() => Task.FromResult(catalog.Current.FindModel(id) is not null), "the model to reach the catalog");
        return id;
    }
}
