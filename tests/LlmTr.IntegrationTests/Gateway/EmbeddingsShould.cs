using System.ClientModel;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using LlmTr.Testing.Upstreams;
using OpenAI.Embeddings;

namespace LlmTr.IntegrationTests.Gateway;

/// <summary>POST /v1/embeddings through the official SDK: passed to an OpenAI-compatible provider, translated for Gemini, billed per token.</summary>
public sealed class EmbeddingsShould(MediaFixture fixture) : IClassFixture<MediaFixture>
{
    private const string OpenAiModel = "openai/text-embedding-3-small";
    private const string GeminiModel = "google/gemini-embedding-001";

    [Fact]
    public async Task PassTheRequestToAnOpenAiCompatibleProviderAndBillItsTokens()
    {
        fixture.OpenAi.Respond = (received, context) => Sse.JsonAsync(context, 200, OpenAiEmbeddings(received.Json, [[0.25f, -0.5f, 1f], [0.125f, 0f, -1f]], promptTokens: 8));
        var (userId, _, client) = await fixture.ClientAsync();

        var embeddings = (await client.GetEmbeddingClient(OpenAiModel).GenerateEmbeddingsAsync(["Merhaba", "dünya"], new EmbeddingGenerationOptions { Dimensions = 3 })).Value;

        Assert.Equal([0.25f, -0.5f, 1f], embeddings[0].ToFloats().ToArray());
        Assert.Equal([0.125f, 0f, -1f], embeddings[1].ToFloats().ToArray());
        Assert.Equal(8, embeddings.Usage.InputTokenCount);
        Assert.Equal(OpenAiModel, embeddings.Model);
        var received = fixture.OpenAi.Last;
        Assert.Equal("/v1/embeddings", received.PathAndQuery);
        Assert.Equal($"Bearer {GatewayHost.UpstreamKey("openai")}", received.Header("Authorization"));
        Assert.Equal("text-embedding-3-small", received.Json.GetProperty("model").GetString());
        Assert.Equal(["Merhaba", "dünya"], received.Json.GetProperty("input").EnumerateArray().Select(i => i.GetString()));
        Assert.Equal(3, received.Json.GetProperty("dimensions").GetInt32());
        var usage = await fixture.UsageAsync(userId);
        Assert.Equal((8L, 0L, 0, 0m), (usage.Prompt, usage.Completion, usage.Images, usage.AudioMinutes));
        Assert.Equal(8 * 0.02m / 1_000_000m, usage.Cost);
    }

    [Fact]
    public async Task PutTheCostInTheAnswersUsageAndHeader()
    {
        fixture.OpenAi.Respond = (received, context) => Sse.JsonAsync(context, 200, OpenAiEmbeddings(received.Json, [[1f, 2f]], promptTokens: 500_000));
        var (_, key, _) = await fixture.ClientAsync();

        using var response = await PostAsync(key, """{"model":"openai/text-embedding-3-small","input":"hello","encoding_format":"float"}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var usage = body.RootElement.GetProperty("usage");
        Assert.Equal(500_000, usage.GetProperty("prompt_tokens").GetInt64());
        Assert.Equal(0.01m, usage.GetProperty("cost").GetDecimal());
        Assert.Equal("0.01", Assert.Single(response.Headers.GetValues("x-llmtr-cost")).TrimEnd('0'));
        Assert.Equal([1.0, 2.0], body.RootElement.GetProperty("data")[0].GetProperty("embedding").EnumerateArray().Select(v => v.GetDouble()));
    }

    [Fact]
    public async Task TranslateToGeminiBatchEmbedContents()
    {
        var gemini = fixture.Gemini.Reset();
        gemini.Then(FakeGemini.Json("""{"embeddings":[{"values":[0.5,-0.25,0.75]},{"values":[1.5,0,-2]}]}"""));
        var (userId, _, client) = await fixture.ClientAsync();

        var embeddings = (await client.GetEmbeddingClient(GeminiModel).GenerateEmbeddingsAsync(["Merhaba", "İstanbul!"], new EmbeddingGenerationOptions { Dimensions = 3 })).Value;

        Assert.Equal([0.5f, -0.25f, 0.75f], embeddings[0].ToFloats().ToArray());
        Assert.Equal([1.5f, 0f, -2f], embeddings[1].ToFloats().ToArray());
        Assert.Equal(GeminiModel, embeddings.Model);
        var received = gemini.OnlyRequest();
        Assert.Equal("/v1beta/models/gemini-embedding-001:batchEmbedContents", received.PathAndQuery);
        Assert.Equal(GatewayHost.UpstreamKey("google"), received.Header("x-goog-api-key"));
        Assert.Null(received.Header("Authorization"));
        var requests = received.Json.GetProperty("requests");
        Assert.Equal(2, requests.GetArrayLength());
        Assert.Equal("models/gemini-embedding-001", requests[0].GetProperty("model").GetString());
        Assert.Equal("İstanbul!", requests[1].GetProperty("content").GetProperty("parts")[0].GetProperty("text").GetString());
        Assert.Equal(3, requests[1].GetProperty("outputDimensionality").GetInt32());
        var usage = await fixture.UsageAsync(userId);
        Assert.Equal(5, usage.Prompt); // 7 and 9 characters at about four a token, rounded up per input
        Assert.Equal(5 * 0.15m / 1_000_000m, usage.Cost);
    }

    [Theory]
    [InlineData("openai/gpt-4o", """ "input":"hi" """, "model", "The model 'openai/gpt-4o' does not support embeddings.")]
    [InlineData(GeminiModel, """ "input":[[1,2,3]] """, "input", "The model 'google/gemini-embedding-001' does not support token-id input")]
    [InlineData(OpenAiModel, """ "input":[] """, "input", "'input' must hold from 1 to 2048 items; got 0.")]
    [InlineData(OpenAiModel, """ "input":["a", 3] """, "input[1]", "'input[1]' is not valid here")]
    [InlineData(OpenAiModel, """ "input":"a", "encoding_format":"hex" """, "encoding_format", "'encoding_format' must be one of 'float', 'base64'.")]
    [InlineData(OpenAiModel, """ "input":"a", "dimensions":0 """, "dimensions", "'dimensions' must be an integer from 1 to 65536.")]
    public async Task RefuseWhatTheModelOrRequestCannotDoBeforeAnyUpstreamCall(string model, string fields, string param, string message)
    {
        fixture.Gemini.Reset();
        var before = fixture.OpenAi.Server.Received.Count;
        var (_, key, _) = await fixture.ClientAsync();

        using var response = await PostAsync(key, $$"""{"model":"{{model}}",{{fields}}}""");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error");
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.Equal(param, error.GetProperty("param").GetString());
        Assert.StartsWith(message, error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(before, fixture.OpenAi.Server.Received.Count);
        Assert.Empty(fixture.Gemini.Upstream.Received);
    }

    [Fact]
    public async Task AnswerTheSdkWithOpenAisErrorForAnUnknownModel()
    {
        var (_, _, client) = await fixture.ClientAsync();

        var failure = await Assert.ThrowsAsync<ClientResultException>(() => client.GetEmbeddingClient("nobody/nothing").GenerateEmbeddingAsync("hi"));

        Assert.Equal(400, failure.Status);
        Assert.Contains("model_not_found", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnswerBrokenJsonWith400()
    {
        var (_, key, _) = await fixture.ClientAsync();

        using var response = await PostAsync(key, """{"model": "openai/text-embedding-3-small", "input": """);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_json", JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetProperty("code").GetString());
    }

    private async Task<HttpResponseMessage> PostAsync(string key, string body)
    {
        using var client = fixture.Gateway.Host.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/embeddings") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return await client.SendAsync(request);
    }

    /// <summary>OpenAI's embeddings answer, in the encoding the request asked for.</summary>
    private static string OpenAiEmbeddings(JsonElement request, float[][] vectors, int promptTokens)
    {
        var base64 = request.TryGetProperty("encoding_format", out var format) && format.GetString() == "base64";
        return JsonSerializer.Serialize(new
        {
            @object = "list",
            data = vectors.Select((v, i) => new
            {
                @object = "embedding",
                index = i,
                embedding = base64 ? (object)Convert.ToBase64String(v.SelectMany(BitConverter.GetBytes).ToArray()) : v,
            }),
            model = "text-embedding-3-small",
            usage = new { prompt_tokens = promptTokens, total_tokens = promptTokens },
        });
    }
}
