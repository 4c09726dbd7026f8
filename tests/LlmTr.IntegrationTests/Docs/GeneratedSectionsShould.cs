using System.Globalization;
using System.Net.Http.Headers;
using System.Reflection;
using System.Text;
using System.Text.Json;
using LlmTr.IntegrationTests.Catalog;
using LlmTr.Modules.Catalog.Administration;
using LlmTr.Modules.Catalog.Contracts;
using LlmTr.Modules.Docs.Generated;
using LlmTr.Modules.Gateway;
using LlmTr.Modules.Gateway.Chat;
using LlmTr.Modules.Keys;
using LlmTr.SharedKernel;
using LlmTr.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace LlmTr.IntegrationTests.Docs;

/// <summary>The tables made from the code say exactly what the code does.</summary>
public sealed class GeneratedSectionsShould(CatalogFixture fixture) : IClassFixture<CatalogFixture>
{
    [Theory]
    [InlineData("en")]
    [InlineData("tr")]
    public async Task ListEveryErrorDefinitionAndNothingElse(string language)
    {
        var rows = ErrorRows(await fixture.Host.PageAsync($"/docs/{language}/errors"));

        Assert.Equal(
            ApiErrors.All.Select(e => (e.Status.ToString(CultureInfo.InvariantCulture), e.Type, e.Code ?? "—")),
            rows.Select(r => (r[0], r[1], r[2])));
        Assert.All(rows, r => Assert.False(string.IsNullOrWhiteSpace(r[3])));
    }

    [Fact]
    public async Task ListTheErrorsTheApiReallyAnswersWith()
    {
        var documented = ErrorRows(await fixture.Host.PageAsync("/docs/en/errors")).Select(r => (r[0], r[1], r[2])).ToHashSet();
        var (_, key) = await TestAccounts.CreateKeyAsync(fixture.Host);
        using var client = fixture.Host.CreateClient();

        var answers = new List<HttpResponseMessage>
        {
            await client.SendAsync(Post("/v1/chat/completions", "{\"model\": \"llmtr/demo\", \"messages\": []}", null)),
            await client.SendAsync(Post("/v1/chat/completions", "{\"model\": \"llmtr/demo\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}", "llmtr-not-a-key")),
            await client.SendAsync(Post("/v1/chat/completions", "{not json", key.RawKey)),
            await client.SendAsync(Post("/v1/chat/completions", "{\"model\": \"nobody/nothing\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}", key.RawKey)),
            await client.SendAsync(Post("/v1/chat/completions", "{\"model\": \"llmtr/demo\", \"temperature\": 3, \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}", key.RawKey)),
            await client.SendAsync(Post("/v1/chat/completions", "{\"model\": \"openai/gpt-4o\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}", key.RawKey)),
            await client.SendAsync(Get("/v1/models/nobody/nothing", key.RawKey)),
            await client.SendAsync(Get("/v1/no-such-endpoint", key.RawKey)),
        };

        foreach (var answer in answers)
        {
            using var body = JsonDocument.Parse(await answer.Content.ReadAsStringAsync());
            var error = body.RootElement.GetProperty("error");
            var row = (((int)answer.StatusCode).ToString(CultureInfo.InvariantCulture), error.GetProperty("type").GetString()!, error.GetProperty("code").GetString() ?? "—");
            Assert.Contains(row, documented);
        }

        Assert.Equal([401, 401, 400, 400, 400, 402, 404, 404], answers.Select(a => (int)a.StatusCode));
    }

    [Theory]
    [InlineData("en")]
    [InlineData("tr")]
    public async Task PublishTheRangesTheValidatorEnforces(string language)
    {
        var rows = Html.Rows(Html.Article(await fixture.Host.PageAsync($"/docs/{language}/chat-completions")))
            .Where(r => r.Length == 2).ToDictionary(r => r[0], r => r[1]);

        foreach (var range in ChatRequestValidator.NumberRanges.Concat(ChatRequestValidator.WholeNumberRanges))
        {
            Assert.Contains(range.MinText, rows[range.Field], StringComparison.Ordinal);
            Assert.Contains(range.MaxText, rows[range.Field], StringComparison.Ordinal);
        }

        Assert.All(ChatRequestValidator.TokenLimitFields, f => Assert.Contains(ChatRequestValidator.MinTokens.ToString(CultureInfo.InvariantCulture), rows[f], StringComparison.Ordinal));
        Assert.Contains(ChatRequestValidator.MaxStopSequences.ToString(CultureInfo.InvariantCulture), rows["stop"], StringComparison.Ordinal);
        Assert.Contains(ChatRequestValidator.MaxMetadataPairs.ToString(CultureInfo.InvariantCulture), rows["metadata"], StringComparison.Ordinal);
        Assert.All(ChatRequestValidator.ReasoningEfforts, e => Assert.Contains(e, rows["reasoning_effort"], StringComparison.Ordinal));
        Assert.All(ChatRequestValidator.Roles, r => Assert.Contains(r, rows["messages[].role"], StringComparison.Ordinal));
        var maxBytes = fixture.Host.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<GatewayOptions>>().Value.MaxRequestBytes;
        Assert.Contains(rows.Values, v => v.Contains(maxBytes.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal));
    }

    [Fact]
    public void PublishEveryRangeTheValidatorDeclares()
    {
        var declared = typeof(ChatRequestValidator).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.FieldType == typeof(NumberRange)).Select(f => (NumberRange)f.GetValue(null)!);

        Assert.Equal(
            declared.Select(r => r.Field).Order(),
            ChatRequestValidator.NumberRanges.Concat(ChatRequestValidator.WholeNumberRanges).Select(r => r.Field).Order());
    }

    [Fact]
    public async Task ShowTheLiveCatalogInTheModelTable()
    {
        var catalog = fixture.Host.Services.GetRequiredService<IModelCatalog>();
        Assert.Equal(ListedIds(catalog.Current), ModelIds(await fixture.Host.PageAsync("/docs/en/models")));

        var demo = catalog.Current.FindModel("llmtr/demo")!;
        var renamed = $"Demo renamed {Guid.NewGuid():N}"[..24];
        var version = catalog.Current.Version;
        var saved = await fixture.Host.Services.GetRequiredService<ICatalogAdministration>().SaveModelAsync(Input(demo) with { DisplayName = renamed }, "docs tests");
        Assert.True(saved.Succeeded, string.Join(" ", saved.Errors.SelectMany(e => e.Value)));
        await Poll.UntilAsync(() => Task.FromResult(catalog.Current.Version > version), "the catalog change to reach the snapshot");

        var page = await fixture.Host.PageAsync("/docs/tr/models");
        Assert.Contains(renamed, Html.Text(Html.Article(page)), StringComparison.Ordinal);
        Assert.Equal(ListedIds(catalog.Current), ModelIds(page));
    }

    [Fact]
    public async Task DescribeEverySettingOfEveryRegisteredOptionsClass()
    {
        var reference = fixture.Host.Services.GetRequiredService<ConfigurationReference>();
        var page = Html.Text(Html.Article(await fixture.Host.PageAsync("/docs/en/configuration")));

        // The options classes the modules bind, found independently of the reference's own reflection.
        foreach (var type in new[] { typeof(GatewayOptions), typeof(KeysOptions), typeof(CatalogOptions) })
        {
            var section = (string)type.GetField("Section")!.GetRawConstantValue()!;
            foreach (var property in type.GetProperties().Where(p => p.CanWrite))
            {
                var nested = property.PropertyType.IsClass && property.PropertyType != typeof(string)
                    ? property.PropertyType.GetProperties().Where(p => p.CanWrite).Select(p => $"{section}:{property.Name}:{p.Name}").ToList()
                    : [$"{section}:{property.Name}"];
                Assert.All(nested, key => Assert.Contains(reference.OptionsSettings, s => s.Key == key));
            }
        }

        Assert.Contains(reference.OptionsSettings, s => s.Key == "Billing:MarginRate" && s.Default == "0.06");
        foreach (var setting in reference.OptionsSettings)
        {
            Assert.Contains(reference.Descriptions, d => d.Key == setting.Key);
            Assert.Contains(ConfigurationReference.EnvironmentName(setting.Key), page, StringComparison.Ordinal);
        }

        // A described setting is either an options property or one read directly, which must say its default.
        Assert.All(reference.Descriptions.Where(d => reference.OptionsSettings.All(s => s.Key != d.Key)), d => Assert.NotNull(d.Default));
    }

    [Fact]
    public async Task WorkTheTopUpExamplesWithBillingsOwnRounding()
    {
        var rows = Html.Rows(Html.Article(await fixture.Host.PageAsync("/docs/en/pricing"))).Where(r => r.Length == 5).Skip(1).ToList();

        Assert.Equal(TopUpExamples.Credits.Length, rows.Count);
        Assert.Contains(rows, r => r[0] == "25.00 USD" && r[2] == "26.50 USD" && r[3] == "1.50 USD");
        Assert.Contains(rows, r => r[0] == "8.25 USD" && r[1] == "8.745 USD" && r[2] == "8.75 USD"); // half a cent rounds away from zero
    }

    // Issue 20: the pricing page explains every unit, with worked examples generated from the catalog's vocabulary.
    [Theory]
    [InlineData("en", "Total")]
    [InlineData("tr", "Toplam")]
    public async Task ListEveryPriceUnitAndWorkThePriceExamplesWithBillingsOwnArithmetic(string language, string total)
    {
        var rows = Html.Rows(Html.Article(await fixture.Host.PageAsync($"/docs/{language}/pricing")));

        Assert.All(Enum.GetValues<PriceUnit>(), unit => Assert.Contains(rows, r => r.Length == 3 && r[0] == PriceUnits.ApiName(unit) && r[1].Length > 0));
        // Worked out by hand at the seed's prices: 4,000 × 3 + 2,000 × 0.30 + 3,000 × 3.75 + 1,000 × 6 + 500 × 15 per million and two
        // searches at 0.01; 200 × 2.50 + 1,000 × 40 + 200 × 10 + 700 × 80 per million; 40 × 5 + 4,160 × 40 per million (the image itself
        // priced by its tokens); 256 × 0.03 + 800 × 1 + 244 × 0.30 + 240 × 2.50 per million and one grounded prompt at 0.035.
        Assert.Equal(["0.05735 USD", "0.0985 USD", "0.1666 USD", "0.03648088 USD"], rows.Where(r => r.Length == 4 && r[0] == total).Select(r => r[3]));
        Assert.Contains(rows, r => r.Length == 4 && r[0] == "cache_write_1h_tokens_per_million" && r[1] == "1,000" && r[3] == "0.006");
        Assert.Contains(rows, r => r.Length == 4 && r[0] == "web_search" && r[1] == "2" && r[3] == "0.02");
    }

    [Fact]
    public async Task ServeAnOpenApiDocumentOfThePublicApiOnly()
    {
        using var document = JsonDocument.Parse(await fixture.Host.PageAsync("/openapi/v1.json"));
        var paths = document.RootElement.GetProperty("paths");

        var chat = paths.GetProperty("/v1/chat/completions").GetProperty("post");
        Assert.True(chat.GetProperty("requestBody").GetProperty("content").TryGetProperty("application/json", out _));
        var statuses = chat.GetProperty("responses").EnumerateObject().Select(r => r.Name).ToList();
        Assert.Contains("200", statuses);
        Assert.All(ApiErrors.All.Where(e => e != ApiErrors.UnknownModel && e != ApiErrors.UnknownUrl), e => Assert.Contains(e.Status.ToString(CultureInfo.InvariantCulture), statuses));
        var list = paths.GetProperty("/v1/models").GetProperty("get");
        Assert.Equal(["200", "401", "429"], list.GetProperty("responses").EnumerateObject().Select(r => r.Name).Order());
        Assert.True(list.GetProperty("security")[0].TryGetProperty("ApiKey", out _));
        Assert.Equal("bearer", document.RootElement.GetProperty("components").GetProperty("securitySchemes").GetProperty("ApiKey").GetProperty("scheme").GetString());
        Assert.False(paths.GetProperty("/api/models").GetProperty("get").TryGetProperty("security", out _)); // the public catalog needs no key
        Assert.True(paths.TryGetProperty("/api/models", out _));
        var schemas = document.RootElement.GetProperty("components").GetProperty("schemas");
        Assert.True(schemas.GetProperty("ModelView").GetProperty("properties").TryGetProperty("hosted_in_turkey", out _)); // named as the API sends it
        Assert.True(schemas.GetProperty("OpenAiModel").GetProperty("properties").TryGetProperty("owned_by", out _));
        Assert.All(paths.EnumerateObject(), p => Assert.True(p.Name.StartsWith("/v1/", StringComparison.Ordinal) || p.Name == "/api/models", p.Name));

        // The Anthropic-compatible endpoints are documented with Anthropic's answer and error shapes.
        var messages = paths.GetProperty("/v1/messages").GetProperty("post");
        Assert.Contains("max_tokens", messages.GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.True(messages.GetProperty("security")[0].TryGetProperty("ApiKey", out _));
        Assert.True(schemas.GetProperty("MessageBody").GetProperty("properties").TryGetProperty("stop_reason", out _));
        Assert.True(schemas.GetProperty("AnthropicErrorBody").GetProperty("properties").TryGetProperty("error", out _));
        Assert.True(paths.GetProperty("/v1/messages/count_tokens").TryGetProperty("post", out _));

        // The Responses API: its request and response object; the stored-response addresses that only answer 404 are left out.
        var responses = paths.GetProperty("/v1/responses").GetProperty("post");
        Assert.True(responses.GetProperty("requestBody").GetProperty("content").TryGetProperty("application/json", out _));
        Assert.Contains("previous_response_id", responses.GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.True(schemas.GetProperty("ResponseBody").GetProperty("properties").TryGetProperty("output", out _));
        Assert.True(schemas.GetProperty("CreateResponseRequestBody").GetProperty("properties").TryGetProperty("input", out _));
        Assert.False(paths.TryGetProperty("/v1/responses/{id}", out _));

        // The three chat APIs name LLMTR's routing header beside the llmtr object.
        Assert.All(["/v1/chat/completions", "/v1/messages", "/v1/responses"],
            path => Assert.Contains("x-llmtr-route", paths.GetProperty(path).GetProperty("post").GetProperty("description").GetString(), StringComparison.Ordinal));
    }

    [Fact]
    public async Task RenderTheApiReferenceFromTheOpenApiDocument()
    {
        var article = Html.Text(Html.Article(await fixture.Host.PageAsync("/docs/en/api-reference")));

        Assert.Contains("POST /v1/chat/completions", article, StringComparison.Ordinal);
        Assert.Contains("GET /v1/models", article, StringComparison.Ordinal);
        Assert.Contains("POST /v1/responses", article, StringComparison.Ordinal);
        Assert.Contains("max_completion_tokens", article, StringComparison.Ordinal);
    }

    private static List<string[]> ErrorRows(string page) =>
        Html.Rows(Html.Article(page)).Where(r => r.Length == 4 && r[0].All(char.IsDigit) && r[0].Length == 3).ToList();

    private static List<string> ListedIds(CatalogSnapshot catalog) => catalog.Models.Where(m => m.IsListed).Select(m => m.Id).ToList();

    private static List<string> ModelIds(string page) =>
        Html.Rows(Html.Article(page)).Where(r => r.Length == 7).Skip(1).Select(r => r[0]).ToList();

    private static ModelInput Input(CatalogModel m) => new(
        m.Id, m.UpstreamName, m.DisplayName, m.Description.En, m.Description.Tr, m.ContextLength, m.MaxOutputTokens,
        m.InputModalities, m.OutputModalities, m.Operations, m.Parameters, m.Status.ToString(), m.Visibility.ToString(),
        m.FallbackModelIds, m.ReleaseDate, m.DataPath);

    private static HttpRequestMessage Post(string url, string json, string? key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(url, UriKind.Relative)) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        if (key is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        return request;
    }

    private static HttpRequestMessage Get(string url, string key) =>
        new(HttpMethod.Get, new Uri(url, UriKind.Relative)) { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", key) } };
}
