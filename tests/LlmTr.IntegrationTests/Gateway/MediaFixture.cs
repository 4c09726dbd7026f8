using System.ClientModel;
using System.ClientModel.Primitives;
using System.Globalization;
using LlmTr.Testing;
using LlmTr.Testing.Upstreams;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;
using OpenAI;

namespace LlmTr.IntegrationTests.Gateway;

/// <summary>
/// One host whose OpenAI, Google and Anthropic providers are fakes, with small upload and inline limits so the size
/// checks can be reached with small test data.
/// </summary>
public sealed class MediaFixture : IAsyncLifetime
{
    public const int MaxUploadBytes = 64 * 1024;

    public const int MaxInlineBytes = 16 * 1024;

    public ScriptedUpstream OpenAi { get; private set; } = null!;

    public FakeGemini Gemini { get; private set; } = null!;

    public FakeAnthropic Anthropic { get; private set; } = null!;

    public GatewayHost Gateway { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        OpenAi = await ScriptedUpstream.StartAsync();
        Gemini = await FakeGemini.StartAsync();
        Anthropic = await FakeAnthropic.StartAsync();
        Gateway = await GatewayHost.StartAsync(
            [("openai", OpenAi.Server, "/v1"), ("google", Gemini.Upstream, "/"), ("anthropic", Anthropic.Upstream, "/")],
            new Dictionary<string, string?>
            {
                ["Gateway:MaxUploadBytes"] = MaxUploadBytes.ToString(CultureInfo.InvariantCulture),
                ["Gateway:MaxInlineBytes"] = MaxInlineBytes.ToString(CultureInfo.InvariantCulture),
            });
    }

    /// <summary>The official SDK's options pointed at this host's /v1 (no retries).</summary>
    public OpenAIClientOptions ClientOptions() => new()
    {
        Endpoint = new Uri(Gateway.Host.Server.BaseAddress, "/v1"),
        Transport = new HttpClientPipelineTransport(Gateway.Host.CreateClient()),
        RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
    };

    /// <summary>A new user with credit, and the SDK's root client with their key.</summary>
    public async Task<(string UserId, string RawKey, OpenAIClient Client)> ClientAsync(decimal credit = 100m)
    {
        var (userId, key) = await Gateway.FundedKeyAsync(credit);
        return (userId, key.RawKey, new OpenAIClient(new ApiKeyCredential(key.RawKey), ClientOptions()));
    }

    /// <summary>The one usage row Billing wrote for this user: prompt tokens, completion tokens, images, audio minutes, cost.</summary>
    public async Task<(long Prompt, long Completion, int Images, decimal AudioMinutes, decimal Cost, string Outcome)> UsageAsync(string userId)
    {
        const string Query = """
            SELECT concat_ws(',', "PromptTokens", "CompletionTokens", "Images", "AudioMinutes", "Cost", "Outcome")
            FROM billing.usage_records WHERE "AccountId" = @a
            """;
        var connection = Gateway.Host.ConnectionString;
        List<string> rows = [];
        await Poll.UntilAsync(async () => (rows = await Sql.RowsAsync(connection, Query, ("a", userId))).Count > 0, "the usage row to be written");
        var f = Assert.Single(rows).Split(',');
        return (long.Parse(f[0], CultureInfo.InvariantCulture), long.Parse(f[1], CultureInfo.InvariantCulture), int.Parse(f[2], CultureInfo.InvariantCulture),
            decimal.Parse(f[3], CultureInfo.InvariantCulture), decimal.Parse(f[4], CultureInfo.InvariantCulture), f[5]);
    }

    /// <summary>The parts of a multipart body a fake received: name → (text, bytes, file name, content type).</summary>
    public static async Task<Dictionary<string, (string Text, byte[] Bytes, string? FileName, string? ContentType)>> PartsAsync(ReceivedRequest received)
    {
        var boundary = HeaderUtilities.RemoveQuotes(MediaTypeHeaderValue.Parse(received.Header("Content-Type")).Boundary).Value!;
        var reader = new MultipartReader(boundary, new MemoryStream(received.Bytes));
        var parts = new Dictionary<string, (string, byte[], string?, string?)>();
        while (await reader.ReadNextSectionAsync() is { } section)
        {
            var disposition = ContentDispositionHeaderValue.Parse(section.ContentDisposition);
            using var data = new MemoryStream();
            await section.Body.CopyToAsync(data);
            var bytes = data.ToArray();
            parts[HeaderUtilities.RemoveQuotes(disposition.Name).Value!] =
                (System.Text.Encoding.UTF8.GetString(bytes), bytes, HeaderUtilities.RemoveQuotes(disposition.FileName).Value, section.ContentType);
        }

        return parts;
    }

    public async Task DisposeAsync()
    {
        await Gateway.DisposeAsync();
        await OpenAi.DisposeAsync();
        await Gemini.DisposeAsync();
        await Anthropic.DisposeAsync();
    }
}
