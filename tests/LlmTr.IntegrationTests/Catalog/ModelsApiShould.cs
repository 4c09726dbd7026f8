using System.ClientModel;
using System.ClientModel.Primitives;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using OpenAI;
using LlmTr.Testing;
using OpenAI.Models;

namespace LlmTr.IntegrationTests.Catalog;

public sealed class ModelsApiShould(CatalogFixture fixture) : IClassFixture<CatalogFixture>
{
    [Fact]
    public async Task DescribeEachModelWithProviderModalitiesPricesAndDataPath()
    {
        var models = await ModelsAsync("/api/models");

        var gpt = models.Single(m => m.GetProperty("id").GetString() == "openai/gpt-4o");
        Assert.Equal("GPT-4o", gpt.GetProperty("name").GetString());
        Assert.Equal("openai", gpt.GetProperty("provider").GetProperty("id").GetString());
        Assert.Equal("active", gpt.GetProperty("status").GetString());
        Assert.Equal(128_000, gpt.GetProperty("context_length").GetInt32());
        Assert.Equal(["text", "image"], gpt.GetProperty("input_modalities").EnumerateArray().Select(e => e.GetString()));
        Assert.Contains("tools", gpt.GetProperty("operations").EnumerateArray().Select(e => e.GetString()));
        Assert.False(gpt.GetProperty("hosted_in_turkey").GetBoolean());
        Assert.Equal(["TR", "US"], gpt.GetProperty("data_path").EnumerateArray().Select(h => h.GetProperty("country").GetString()));
        var input = gpt.GetProperty("prices").EnumerateArray().Single(p => p.GetProperty("unit").GetString() == "input_tokens_per_million");
        Assert.Equal(2.5m, input.GetProperty("amount").GetDecimal());
        Assert.Equal("USD", input.GetProperty("currency").GetString());
        Assert.NotEmpty(gpt.GetProperty("description").GetProperty("tr").GetString()!);

        var local = models.Single(m => m.GetProperty("id").GetString() == "llmtr/llama-3.3-70b");
        Assert.True(local.GetProperty("hosted_in_turkey").GetBoolean());
        Assert.Contains(models, m => m.GetProperty("id").GetString() == "llmtr/demo");
    }

    [Theory]
    [InlineData("hosted_in=TR", "llmtr/llama-3.3-70b", "openai/gpt-4o")]
    [InlineData("input_modality=audio", "google/gemini-2.5-flash", "openai/gpt-4o")]
    [InlineData("operation=web_search", "mimo/mimo-v2-pro", "anthropic/claude-sonnet-4.5")]
    [InlineData("provider=mistral", "mistral/mistral-large-latest", "llmtr/demo")]
    public async Task FilterTheList(string query, string included, string excluded)
    {
        var ids = (await ModelsAsync($"/api/models?{query}")).Select(m => m.GetProperty("id").GetString()).ToList();

        Assert.Contains(included, ids);
        Assert.DoesNotContain(excluded, ids);
    }

    [Fact]
    public async Task KeepOnlyModelsWhoseEveryHopIsInTurkeyWhenAskedForTurkey()
    {
        var models = await ModelsAsync("/api/models?hosted_in=TR");

        Assert.NotEmpty(models);
        Assert.All(models, m => Assert.True(m.GetProperty("hosted_in_turkey").GetBoolean()));
        Assert.All(models, m => Assert.All(m.GetProperty("data_path").EnumerateArray(), hop => Assert.Equal("TR", hop.GetProperty("country").GetString())));
    }

    [Theory]
    [InlineData("operation=teleport", "operation")]
    [InlineData("input_modality=smell", "input_modality")]
    [InlineData("provider=opnai", "provider")]
    [InlineData("hosted_in=Turkey", "hosted_in")]
    public async Task RefuseAnUnknownFilterValueNamingTheField(string query, string field)
    {
        using var client = fixture.Host.CreateClient();

        var response = await client.GetAsync(new Uri($"/api/models?{query}", UriKind.Relative));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.True(problem.RootElement.GetProperty("errors").TryGetProperty(field, out _));
    }

    [Fact]
    public async Task AnswerAnUnchangedCatalogWithNotModified()
    {
        using var client = fixture.Host.CreateClient();
        var first = await client.GetAsync(new Uri("/api/models", UriKind.Relative));
        var etag = first.Headers.ETag;
        Assert.NotNull(etag);

        using var again = new HttpRequestMessage(HttpMethod.Get, "/api/models");
        again.Headers.IfNoneMatch.Add(etag);
        var second = await client.SendAsync(again);

        Assert.Equal(HttpStatusCode.NotModified, second.StatusCode);
        using var stale = new HttpRequestMessage(HttpMethod.Get, "/api/models");
        stale.Headers.IfNoneMatch.Add(new EntityTagHeaderValue("\"catalog-0\""));
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(stale)).StatusCode);
    }

    [Fact]
    public async Task ListAndRetrieveModelsThroughTheOfficialOpenAiSdk()
    {
        var models = await OpenAiModelsAsync();

        var listed = (await models.GetModelsAsync()).Value;
        var gpt = (await models.GetModelAsync("openai/gpt-4o")).Value;

        Assert.Contains(listed, m => m.Id == "llmtr/demo");
        Assert.Contains(listed, m => m.Id == "anthropic/claude-sonnet-4.5");
        Assert.Equal("openai/gpt-4o", gpt.Id);
        Assert.Equal("openai", gpt.OwnedBy);
    }

    [Fact]
    public async Task AnswerAnUnknownModelWithOpenAisNotFoundError()
    {
        var models = await OpenAiModelsAsync();

        var failure = await Assert.ThrowsAsync<ClientResultException>(() => models.GetModelAsync("openai/gpt-99"));

        Assert.Equal(404, failure.Status);
        using var error = JsonDocument.Parse(failure.GetRawResponse()!.Content.ToString());
        Assert.Equal("invalid_request_error", error.RootElement.GetProperty("error").GetProperty("type").GetString());
        Assert.Equal("model_not_found", error.RootElement.GetProperty("error").GetProperty("code").GetString());
    }

    private async Task<OpenAIModelClient> OpenAiModelsAsync() => new(new ApiKeyCredential((await TestAccounts.CreateKeyAsync(fixture.Host)).Key.RawKey), new OpenAIClientOptions
    {
        Endpoint = new Uri(fixture.Host.Server.BaseAddress, "/v1"),
        Transport = new HttpClientPipelineTransport(fixture.Host.CreateClient()),
    });

    private async Task<List<JsonElement>> ModelsAsync(string path)
    {
        using var client = fixture.Host.CreateClient();
        var response = await client.GetAsync(new Uri(path, UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("list", body.RootElement.GetProperty("object").GetString());
        return body.RootElement.GetProperty("data").EnumerateArray().Select(e => e.Clone()).ToList();
    }
}
