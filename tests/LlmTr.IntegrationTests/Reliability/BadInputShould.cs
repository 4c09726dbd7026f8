using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using LlmTr.IntegrationTests.Gateway;
using LlmTr.Modules.Keys.Contracts;
using LlmTr.Testing;
using LlmTr.Testing.Upstreams;
using Microsoft.AspNetCore.Http;
using Xunit.Abstractions;

namespace LlmTr.IntegrationTests.Reliability;

/// <summary>
/// Ten thousand malformed /v1 requests, generated from a fixed seed, and every value of valid requests replaced by each
/// other JSON type, bodies over the limit with and without Content-Length, and every content type, sent over real
/// HTTP with a valid key: every one is answered, with a 4xx error object in its API's format (or a success, when a
/// mutation left the request valid) and its request id, and none with a 5xx, a stack trace or a type name.
/// </summary>
public sealed class BadInputShould(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Seed = 20_260_512;
    private const int Count = 10_000;
    private const int MaxRequestBytes = 256 * 1024;
    private const int MaxUploadBytes = 64 * 1024;

    private readonly ConcurrentQueue<string> _fakeFaults = new();
    private ScriptedUpstream _upstream = null!;
    private GatewayHost _gateway = null!;

    public async Task InitializeAsync()
    {
        _upstream = await ScriptedUpstream.StartAsync();
        _upstream.Respond = async (received, context) =>
        {
            try
            {
                await AnswerAsync(received, context);
            }
            catch (Exception e) when (e is JsonException or InvalidOperationException or KeyNotFoundException or FormatException)
            {
                _fakeFaults.Enqueue($"{received.PathAndQuery}: {e.Message} in {received.Body[..Math.Min(300, received.Body.Length)]}");
                throw;
            }
        };
        _gateway = await GatewayHost.StartAsync(
            [("openai", _upstream.Server, "/v1")],
            new Dictionary<string, string?>
            {
                ["Gateway:MaxRequestBytes"] = MaxRequestBytes.ToString(CultureInfo.InvariantCulture),
                ["Gateway:MaxUploadBytes"] = MaxUploadBytes.ToString(CultureInfo.InvariantCulture),
                ["Gateway:MaxInlineBytes"] = (16 * 1024).ToString(CultureInfo.InvariantCulture),
                ["Logging:LogLevel:Default"] = "Warning",
            },
            kestrel: true); // chunked framing and the server's own body limits exist only on a real server
    }

    [Fact]
    public async Task AnswerEveryMalformedRequestWithA4xxErrorObjectAndNever5xx()
    {
        var (_, key) = await _gateway.FundedKeyAsync(credit: 1_000_000m, key: new NewApiKey("corpus", RequestsPerMinute: 100_000));
        var cases = BadInputCorpus.Generate(Seed, Count, MaxRequestBytes, MaxUploadBytes);
        var failures = new ConcurrentQueue<string>();
        var statuses = new ConcurrentDictionary<int, int>();
        using var client = new HttpClient { BaseAddress = _gateway.Address };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key.RawKey);
        var clock = Stopwatch.StartNew();

        await Parallel.ForEachAsync(Enumerable.Range(0, cases.Count), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (index, cancel) =>
        {
            var corpusCase = cases[index];
            using HttpContent content = corpusCase.Chunked ? new ChunkedContent(corpusCase.Body) : new ByteArrayContent(corpusCase.Body);
            if (corpusCase.ContentType is not null)
            {
                content.Headers.TryAddWithoutValidation("Content-Type", corpusCase.ContentType);
            }

            using var response = await client.PostAsync(new Uri(corpusCase.Path, UriKind.Relative), content, cancel);
            var body = await response.Content.ReadAsStringAsync(cancel);
            var status = (int)response.StatusCode;
            statuses.AddOrUpdate(status, 1, (_, n) => n + 1);
            var requestId = response.Headers.TryGetValues("x-request-id", out var ids) ? ids.Single() : null;
            if ((requestId is null ? "no x-request-id" : Problem(corpusCase, status, body, requestId)) is { } problem)
            {
                failures.Enqueue($"#{index} HTTP {status} {problem}: {corpusCase} ⇒ {(body.Length > 400 ? body[..400] : body)}");
            }
        });

        clock.Stop();
        output.WriteLine($"{cases.Count} requests in {clock.Elapsed.TotalSeconds:0.0} s; statuses: " +
            string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}×{s.Value}")));
        Assert.True(_fakeFaults.IsEmpty, "the fake provider could not answer: " + string.Join("\n", _fakeFaults.Take(5)));
        Assert.True(cases.Count >= Count);
        Assert.True(failures.IsEmpty, $"{failures.Count} bad answers, first ones:\n{string.Join("\n", failures.Take(40))}");
        Assert.True(statuses.Where(s => s.Key is >= 400 and < 500).Sum(s => s.Value) > cases.Count * 2 / 3, "most mutations should be refused");
    }

    // Issue 18, finding 5: a body whose chunked framing is broken reached the client as the server's bare 400 or its stack trace.
    [Theory]
    [InlineData("/v1/chat/completions", false)]
    [InlineData("/v1/embeddings", false)]
    [InlineData("/v1/messages", true)]
    [InlineData("/v1/messages/count_tokens", true)]
    public async Task AnswerBrokenChunkedFramingWithA400ErrorObject(string path, bool anthropic)
    {
        var (_, key) = await _gateway.FundedKeyAsync(key: new NewApiKey("framing"));
        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync(_gateway.Address!.Host, _gateway.Address.Port);
        await using var stream = tcp.GetStream();
        var request = $"POST {path} HTTP/1.1\r\nHost: {_gateway.Address.Authority}\r\nAuthorization: Bearer {key.RawKey}\r\n"
            + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
            + "10\r\n{\"model\":\"llmtr/\r\nzz\r\nnot a chunk\r\n0\r\n\r\n";
        await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes(request));

        using var reader = new StreamReader(stream, System.Text.Encoding.UTF8);
        var answer = await reader.ReadToEndAsync();

        var (head, body) = (answer[..answer.IndexOf("\r\n\r\n", StringComparison.Ordinal)], answer[(answer.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4)..]);
        Assert.StartsWith("HTTP/1.1 400", head, StringComparison.Ordinal);
        Assert.Contains("x-request-id: req_", head, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("application/json", head, StringComparison.OrdinalIgnoreCase);
        var json = body.Contains("\r\n", StringComparison.Ordinal) && !body.TrimStart().StartsWith('{') ? Unchunk(body) : body;
        var root = JsonDocument.Parse(json).RootElement;
        Assert.Equal(anthropic ? "error" : null, root.TryGetProperty("type", out var type) ? type.GetString() : null);
        Assert.Contains("framing", root.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    /// <summary>A chunked answer's body, its chunks joined.</summary>
    private static string Unchunk(string chunked)
    {
        var body = new System.Text.StringBuilder();
        var rest = chunked;
        while (rest.IndexOf("\r\n", StringComparison.Ordinal) is var end and > 0
            && int.Parse(rest[..end], NumberStyles.HexNumber, CultureInfo.InvariantCulture) is var size and > 0)
        {
            body.Append(rest.AsSpan(end + 2, size));
            rest = rest[(end + 2 + size + 2)..];
        }

        return body.ToString();
    }

    [Fact]
    public async Task RecordTheUsageOfARequestForAModelNameTheDatabaseCouldNotStore()
    {
        var (_, key) = await _gateway.FundedKeyAsync(key: new NewApiKey("nul"));
        using var client = new HttpClient { BaseAddress = _gateway.Address };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
        {
            Content = new StringContent("""{"model":"open\u0000ai/gpt-4o","messages":[{"role":"user","content":"hi"}]}""", System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key.RawKey);

        using var response = await client.SendAsync(request);

        Assert.Equal(400, (int)response.StatusCode);
        var requestId = response.Headers.GetValues("x-request-id").Single();
        List<string> rows = [];
        await Poll.UntilAsync(async () => (rows = await Sql.RowsAsync(_gateway.Host.ConnectionString,
            """SELECT "ModelId" FROM billing.usage_records WHERE "RequestId" = @id""", ("id", requestId))).Count == 1, "the refused request's usage row");
        Assert.Equal("open?ai/gpt-4o", rows[0]);
    }

    /// <summary>What is wrong with an answer, or null.</summary>
    private static string? Problem(CorpusCase corpusCase, int status, string body, string requestId)
    {
        if (status >= 500)
        {
            return "server error";
        }

        var expected = corpusCase.Expect switch
        {
            CorpusExpectation.TooLarge => status == 413,
            CorpusExpectation.ContentTypeRefused => status is 415 or 400 && body.Contains("content type", StringComparison.OrdinalIgnoreCase),
            CorpusExpectation.ContentTypeAccepted => status is not (415 or 404),
            _ => status != 404, // every address in the corpus exists
        };
        if (!expected)
        {
            return $"not the answer expected ({corpusCase.Expect})";
        }

        if (status is < 400)
        {
            return null;
        }

        foreach (var leak in new[] { "Exception", "   at ", "System.", "Microsoft.", "LlmTr.", "Npgsql" })
        {
            if (body.Contains(leak, StringComparison.Ordinal))
            {
                return $"body gives away '{leak}'";
            }
        }

        try
        {
            var root = JsonDocument.Parse(body).RootElement;
            var error = root.GetProperty("error");
            var shaped = corpusCase.AnthropicFormat
                ? root.GetProperty("type").GetString() == "error" && error.GetProperty("type").ValueKind == JsonValueKind.String
                    && root.GetProperty("request_id").GetString() == requestId
                : error.GetProperty("type").ValueKind == JsonValueKind.String && error.TryGetProperty("param", out _) && error.TryGetProperty("code", out _);
            return shaped && error.GetProperty("message").GetString() is { Length: > 0 } ? null : "error object of the wrong shape";
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return "not an error object";
        }
    }

    /// <summary>A provider that answers correctly whatever valid request reaches it, so only the gateway's answers are judged.</summary>
    private static Task AnswerAsync(ReceivedRequest received, HttpContext context)
    {
        switch (received.PathAndQuery)
        {
            case "/v1/embeddings":
                var input = received.Json.GetProperty("input");
                var count = input.ValueKind == JsonValueKind.Array && input.GetArrayLength() > 0 && input[0].ValueKind != JsonValueKind.Number ? input.GetArrayLength() : 1;
                return Sse.JsonAsync(context, 200, JsonSerializer.Serialize(new
                {
                    @object = "list",
                    data = Enumerable.Range(0, count).Select(i => new { @object = "embedding", index = i, embedding = new[] { 0.5f, -0.5f, 1f } }),
                    model = "text-embedding-3-small",
                    usage = new { prompt_tokens = 4, total_tokens = 4 },
                }));
            case "/v1/images/generations":
                var n = received.Json.TryGetProperty("n", out var images) && images.ValueKind == JsonValueKind.Number && images.TryGetInt32(out var value) ? value : 1;
                return Sse.JsonAsync(context, 200, JsonSerializer.Serialize(new
                {
                    created = 1_739_200_000,
                    data = Enumerable.Range(0, n).Select(_ => new { b64_json = "iVBORw0KGgo=" }),
                }));
            case "/v1/audio/speech":
                context.Response.ContentType = "audio/mpeg";
                return context.Response.Body.WriteAsync(new byte[] { 0xFF, 0xFB, 0x90, 0x00 }).AsTask();
            case "/v1/audio/transcriptions":
                return Sse.JsonAsync(context, 200, """{"text":"Merhaba","usage":{"type":"duration","seconds":1}}""");
            case "/v1/responses":
                // OpenAI serves the Responses API itself, so the gateway relays /v1/responses to it natively.
                return received.Json.TryGetProperty("stream", out var streamed) && streamed.ValueKind == JsonValueKind.True
                    ? FakeOpenAiResponses.StreamTextAsync(context, ["Mer", "haba"], new FakeOpenAiResponses.Tokens(11, 7))
                    : Sse.JsonAsync(context, 200, FakeOpenAiResponses.TextResponse("Merhaba", new FakeOpenAiResponses.Tokens(11, 7)));
            default:
                return received.Json.TryGetProperty("stream", out var stream) && stream.ValueKind == JsonValueKind.True
                    ? FakeOpenAi.StreamAsync(context, ["Mer", "haba"])
                    : Sse.JsonAsync(context, 200, FakeOpenAi.Completion("Merhaba"));
        }
    }

    /// <summary>A body sent with <c>Transfer-Encoding: chunked</c> and no Content-Length, in pieces, as a streaming client sends it.</summary>
    private sealed class ChunkedContent(byte[] body) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context)
        {
            for (var offset = 0; offset < body.Length; offset += 16 * 1024)
            {
                await stream.WriteAsync(body.AsMemory(offset, Math.Min(16 * 1024, body.Length - offset)));
            }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }

    public async Task DisposeAsync()
    {
        await _gateway.DisposeAsync();
        await _upstream.DisposeAsync();
    }
}
