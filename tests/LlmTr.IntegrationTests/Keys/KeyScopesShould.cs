using System.ClientModel;
using System.ClientModel.Primitives;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using LlmTr.IntegrationTests.Catalog;
using LlmTr.Modules.Catalog.Contracts;
using LlmTr.Modules.Keys.Contracts;
using LlmTr.Testing;
using Microsoft.Extensions.DependencyInjection;
using OpenAI;
using OpenAI.Models;

namespace LlmTr.IntegrationTests.Keys;

public sealed class KeyScopesShould(CatalogFixture fixture) : IClassFixture<CatalogFixture>
{
    private IApiKeys Keys => fixture.Host.Services.GetRequiredService<IApiKeys>();

    private CatalogSnapshot Catalog => fixture.Host.Services.GetRequiredService<IModelCatalog>().Current;

    [Fact]
    public async Task ListOnlyTheModelsAKeysPatternsAllow()
    {
        var (_, key) = await TestAccounts.CreateKeyAsync(fixture.Host, new NewApiKey("scoped", AllowedModels: ["llmtr/*", "openai/gpt-4o"]));

        var listed = await ListModelIdsAsync(key.RawKey);

        var expected = Catalog.Models.Where(m => m.IsListed && (m.ProviderId == "llmtr" || m.Id == "openai/gpt-4o")).Select(m => m.Id).Order().ToList();
        Assert.Equal(expected, listed.Order().ToList());
        Assert.Contains("openai/gpt-4o", listed);
        Assert.DoesNotContain(listed, id => id.StartsWith("anthropic/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ListOnlyModelsHostedInTurkeyForATurkeyOnlyKey()
    {
        var (_, key) = await TestAccounts.CreateKeyAsync(fixture.Host, new NewApiKey("regulated", TurkeyOnly: true));

        var listed = await ListModelIdsAsync(key.RawKey);

        Assert.NotEmpty(listed);
        Assert.All(listed, id => Assert.True(Catalog.FindModel(id)!.HostedInTurkey, id));
        Assert.Equal(Catalog.Models.Count(m => m.IsListed && m.HostedInTurkey), listed.Count);
    }

    [Fact]
    public async Task AnswerAModelOutsideTheAllowListWith403NamingTheRule()
    {
        var (_, key) = await TestAccounts.CreateKeyAsync(fixture.Host, new NewApiKey("scoped", AllowedModels: ["llmtr/*"]));

        var response = await RetrieveAsync(key.RawKey, "openai/gpt-4o");

        var error = await AssertForbiddenAsync(response);
        Assert.Equal("This API key may not call 'openai/gpt-4o': its allowed models are 'llmtr/*'. "
            + "Change the key's allowed models in the dashboard, or use another key.", error);
        Assert.Equal(HttpStatusCode.OK, (await RetrieveAsync(key.RawKey, "llmtr/demo")).StatusCode);
    }

    [Fact]
    public async Task AnswerAModelOutsideTurkeyWith403NamingTheResidencyRule()
    {
        var (_, key) = await TestAccounts.CreateKeyAsync(fixture.Host, new NewApiKey("regulated", TurkeyOnly: true));
        var abroad = Catalog.Models.First(m => m.IsListed && !m.HostedInTurkey);

        var error = await AssertForbiddenAsync(await RetrieveAsync(key.RawKey, abroad.Id));

        Assert.StartsWith($"This API key is restricted to data residency 'Turkey only', and '{abroad.Id}' processes data outside Turkey.", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SurfaceAScopeRefusalAsTheOpenAiSdksOwn403()
    {
        var (_, key) = await TestAccounts.CreateKeyAsync(fixture.Host, new NewApiKey("scoped", AllowedModels: ["llmtr/demo"]));
        var models = new OpenAIModelClient(new ApiKeyCredential(key.RawKey), new OpenAIClientOptions
        {
            Endpoint = new Uri(fixture.Host.Server.BaseAddress, "/v1"),
            Transport = new HttpClientPipelineTransport(fixture.Host.CreateClient()),
        });

        var failure = await Assert.ThrowsAsync<ClientResultException>(() => models.GetModelAsync("openai/gpt-4o"));

        Assert.Equal(403, failure.Status);
        Assert.Contains("may not call 'openai/gpt-4o'", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RefusePatternsAndLimitsThatMakeNoSenseAndStoreNothing()
    {
        var owner = await TestAccounts.CreateUserAsync(fixture.Host);

        var result = await Keys.CreateAsync(owner, new NewApiKey("bad", AllowedModels: ["gpt-4o", "open*ai/x", "openai/ gpt"], SpendLimit: -5m, MonthlySpendLimit: 0.001m));

        Assert.False(result.Succeeded);
        var patterns = result.Errors[nameof(NewApiKey.AllowedModels)];
        Assert.Equal(3, patterns.Length);
        Assert.Contains(patterns, p => p.StartsWith("'gpt-4o' is not a model id", StringComparison.Ordinal));
        Assert.Contains(patterns, p => p.StartsWith("'open*ai/x': '*' may only end a pattern", StringComparison.Ordinal));
        Assert.Contains(nameof(NewApiKey.SpendLimit), result.Errors.Keys);
        Assert.Contains(nameof(NewApiKey.MonthlySpendLimit), result.Errors.Keys);
        Assert.Empty(await Keys.ListAsync(owner));
    }

    [Fact]
    public async Task KeepTheScopeAndLimitsThroughARotation()
    {
        var (owner, key) = await TestAccounts.CreateKeyAsync(fixture.Host,
            new NewApiKey("scoped", AllowedModels: [" llmtr/* ", "llmtr/*"], TurkeyOnly: true, SpendLimit: 100m, MonthlySpendLimit: 25.5m));

        var rotated = (await Keys.RotateAsync(owner, key.Id, TimeSpan.Zero))!.Key!;

        var summary = (await Keys.FindAsync(owner, rotated.Id))!;
        Assert.Equal(["llmtr/*"], summary.Scope.AllowedModels);
        Assert.True(summary.Scope.TurkeyOnly);
        Assert.Equal((100m, 25.5m), (summary.SpendLimit, summary.MonthlySpendLimit));
    }

    private async Task<List<string>> ListModelIdsAsync(string rawKey)
    {
        using var client = fixture.Host.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/models");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", rawKey);
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return body.RootElement.GetProperty("data").EnumerateArray().Select(m => m.GetProperty("id").GetString()!).ToList();
    }

    private async Task<HttpResponseMessage> RetrieveAsync(string rawKey, string modelId)
    {
        using var client = fixture.Host.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/models/" + modelId);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", rawKey);
        var response = await client.SendAsync(request);
        await response.Content.LoadIntoBufferAsync();
        return response;
    }

    private static async Task<string> AssertForbiddenAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var error = body.RootElement.GetProperty("error");
        Assert.Equal("forbidden", error.GetProperty("type").GetString());
        Assert.Equal("model", error.GetProperty("param").GetString());
        Assert.Equal("model_not_allowed", error.GetProperty("code").GetString());
        return error.GetProperty("message").GetString()!;
    }
}
