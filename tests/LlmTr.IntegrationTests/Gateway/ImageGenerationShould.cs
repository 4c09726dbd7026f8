using System.ClientModel;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using LlmTr.Testing.Upstreams;
using OpenAI.Images;

namespace LlmTr.IntegrationTests.Gateway;

/// <summary>POST /v1/images/generations through the official SDK: OpenAI passed through, Gemini translated, billed per image.</summary>
public sealed class ImageGenerationShould(MediaFixture fixture) : IClassFixture<MediaFixture>
{
    private static readonly byte[] Png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x01, 0x02];
    private static readonly byte[] OtherPng = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x03, 0x04];

    [Fact]
    public async Task PassTheRequestToOpenAiAndBillEachImage()
    {
        fixture.OpenAi.Respond = (_, context) => Sse.JsonAsync(context, 200, JsonSerializer.Serialize(new
        {
            created = 1_739_200_000,
            data = new[] { new { b64_json = Convert.ToBase64String(Png) }, new { b64_json = Convert.ToBase64String(OtherPng) } },
            usage = new { input_tokens = 12, output_tokens = 0, total_tokens = 12, input_tokens_details = new { text_tokens = 12, image_tokens = 0 } },
        }));
        var (userId, _, client) = await fixture.ClientAsync();

        var images = (await client.GetImageClient("openai/gpt-image-1").GenerateImagesAsync("A cat on a Bosphorus ferry", 2,
            new ImageGenerationOptions { Size = GeneratedImageSize.W1024xH1024, Quality = GeneratedImageQuality.High })).Value;

        Assert.Equal([Png, OtherPng], images.Select(i => i.ImageBytes.ToArray()));
        var received = fixture.OpenAi.Last;
        Assert.Equal("/v1/images/generations", received.PathAndQuery);
        Assert.Equal($"Bearer {GatewayHost.UpstreamKey("openai")}", received.Header("Authorization"));
        Assert.Equal("gpt-image-1", received.Json.GetProperty("model").GetString());
        Assert.Equal("A cat on a Bosphorus ferry", received.Json.GetProperty("prompt").GetString());
        Assert.Equal(2, received.Json.GetProperty("n").GetInt32());
        Assert.Equal("1024x1024", received.Json.GetProperty("size").GetString());
        Assert.Equal("hd", received.Json.GetProperty("quality").GetString());
        var usage = await fixture.UsageAsync(userId);
        Assert.Equal((12L, 2), (usage.Prompt, usage.Images));
        Assert.Equal((12 * 5m / 1_000_000) + (2 * 0.167m), usage.Cost); // no image tokens reported: per image, at the price for an unknown quality ("hd")
    }

    [Fact]
    public async Task SayTheImagesAndTheirCostInTheAnswersUsage()
    {
        fixture.OpenAi.Respond = (_, context) => Sse.JsonAsync(context, 200, JsonSerializer.Serialize(new
        {
            created = 1_739_200_000,
            data = new[] { new { url = "https://images.example.com/1.png", revised_prompt = "A cat" } },
        }));
        var (_, key, _) = await fixture.ClientAsync();

        using var response = await PostAsync(key, """{"model":"openai/gpt-image-1","prompt":"A cat","response_format":"url"}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("https://images.example.com/1.png", body.GetProperty("data")[0].GetProperty("url").GetString());
        Assert.Equal(1, body.GetProperty("usage").GetProperty("images").GetInt32());
        Assert.Equal(0.167m, body.GetProperty("usage").GetProperty("cost").GetDecimal()); // no tokens reported, no size asked: the plain image price
        Assert.Equal(0.167m, decimal.Parse(Assert.Single(response.Headers.GetValues("x-llmtr-cost")), System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task TranslateToGeminiImageOutput()
    {
        var gemini = fixture.Gemini.Reset();
        gemini.Then(FakeGemini.Json(JsonSerializer.Serialize(new
        {
            candidates = new[]
            {
                new
                {
                    content = new { role = "model", parts = new object[] { new { text = "Here is your cat." }, new { inlineData = new { mimeType = "image/png", data = Convert.ToBase64String(Png) } } } },
                    finishReason = "STOP",
                    index = 0,
                },
            },
            usageMetadata = new { promptTokenCount = 10, candidatesTokenCount = 1290, totalTokenCount = 1300 },
        })));
        var (userId, _, client) = await fixture.ClientAsync();

        var image = (await client.GetImageClient("google/gemini-2.5-flash-image").GenerateImageAsync("A cat on a ferry",
            new ImageGenerationOptions { ResponseFormat = GeneratedImageFormat.Bytes, Size = GeneratedImageSize.W1792xH1024 })).Value;

        Assert.Equal(Png, image.ImageBytes.ToArray());
        var received = gemini.OnlyRequest();
        Assert.Equal("/v1beta/models/gemini-2.5-flash-image:generateContent", received.PathAndQuery);
        Assert.Equal(GatewayHost.UpstreamKey("google"), received.Header("x-goog-api-key"));
        var body = received.Json;
        Assert.Equal("A cat on a ferry", body.GetProperty("contents")[0].GetProperty("parts")[0].GetProperty("text").GetString());
        Assert.Equal(["TEXT", "IMAGE"], body.GetProperty("generationConfig").GetProperty("responseModalities").EnumerateArray().Select(m => m.GetString()));
        Assert.Equal("16:9", body.GetProperty("generationConfig").GetProperty("imageConfig").GetProperty("aspectRatio").GetString());
        var usage = await fixture.UsageAsync(userId);
        Assert.Equal((10L, 0L, 1), (usage.Prompt, usage.Completion, usage.Images));
        Assert.Equal(0.039m + (10 * 0.30m / 1_000_000m), usage.Cost);
    }

    [Fact]
    public async Task TellABlockedGeminiPromptAsTheProvidersRejection()
    {
        var gemini = fixture.Gemini.Reset();
        gemini.Then(FakeGemini.Json("""{"promptFeedback":{"blockReason":"SAFETY"},"usageMetadata":{"promptTokenCount":7,"totalTokenCount":7}}"""));
        var (_, _, client) = await fixture.ClientAsync();

        var failure = await Assert.ThrowsAsync<ClientResultException>(() => client.GetImageClient("google/gemini-2.5-flash-image")
            .GenerateImageAsync("Something unsafe", new ImageGenerationOptions { ResponseFormat = GeneratedImageFormat.Bytes }));

        Assert.Equal(400, failure.Status);
        Assert.Contains("provider_rejected_request", failure.Message, StringComparison.Ordinal);
        Assert.Contains("prompt blocked: SAFETY", failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("openai/gpt-4o", """ "prompt":"a cat" """, "model", "The model 'openai/gpt-4o' does not support image generation.")]
    [InlineData("google/gemini-2.5-flash-image", """ "prompt":"a cat","n":2 """, "n", "The model 'google/gemini-2.5-flash-image' does not support more than one image per request")]
    [InlineData("google/gemini-2.5-flash-image", """ "prompt":"a cat","response_format":"url" """, "response_format", "The model 'google/gemini-2.5-flash-image' does not support image URLs")]
    [InlineData("google/gemini-2.5-flash-image", """ "prompt":"a cat","size":"333x777" """, "size", "'size' must be 'auto' or one of")]
    [InlineData("google/gemini-2.5-flash-image", """ "prompt":"a cat","style":"vivid" """, "style", "The model 'google/gemini-2.5-flash-image' does not support the 'style' option")]
    [InlineData("openai/gpt-image-1", """ "prompt":"" """, "prompt", "'prompt' is required and must be a non-empty string")]
    [InlineData("openai/gpt-image-1", """ "prompt":"a cat","n":11 """, "n", "'n' must be an integer from 1 to 10.")]
    public async Task RefuseWhatTheModelOrRequestCannotDoBeforeAnyUpstreamCall(string model, string fields, string param, string message)
    {
        fixture.Gemini.Reset();
        var before = fixture.OpenAi.Server.Received.Count;
        var (_, key, _) = await fixture.ClientAsync();

        using var response = await PostAsync(key, $$"""{"model":"{{model}}",{{fields}}}""");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error");
        Assert.Equal(("invalid_request_error", param), (error.GetProperty("type").GetString(), error.GetProperty("param").GetString()));
        Assert.StartsWith(message, error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(before, fixture.OpenAi.Server.Received.Count);
        Assert.Empty(fixture.Gemini.Upstream.Received);
    }

    [Fact]
    public async Task RefuseAnAccountWithoutCreditWith402()
    {
        var (_, _, client) = await fixture.ClientAsync(credit: 0m);

        var failure = await Assert.ThrowsAsync<ClientResultException>(() => client.GetImageClient("openai/gpt-image-1").GenerateImageAsync("A cat"));

        Assert.Equal(402, failure.Status);
    }

    private async Task<HttpResponseMessage> PostAsync(string key, string body)
    {
        using var client = fixture.Gateway.Host.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/images/generations") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return await client.SendAsync(request);
    }
}
