using System.Net;
using System.Net.Http.Headers;
using LlmTr.IntegrationTests.Gateway;
using LlmTr.IntegrationTests.Jobs;
using LlmTr.Testing;
using LlmTr.Testing.Upstreams;
using Microsoft.AspNetCore.Http;

namespace LlmTr.IntegrationTests.Hosting;

/// <summary>
/// A request costs a trace span only when traces are exported, and then only the sampled share; providers never see
/// the installation's trace context unless it is turned on. Trace listeners are process-wide (one host exporting makes
/// every host in the process trace), so this class runs alone.
/// </summary>
[Collection(nameof(RunsAlone))]
public sealed class TracingShould
{
    [Fact]
    public async Task StartNoActivityForARequestWhenNoTracesAreExported()
    {
        PipelineProbe probe = null!;
        var server = await PostgresServer.InstanceAsync();
        await using var host = new LlmTrHostFactory(await server.CreateMigratedDatabaseAsync(), services: services => probe = PipelineProbe.AddTo(services));
        var (_, key) = await TestAccounts.CreateKeyAsync(host);
        using var client = host.CreateClient();

        using var api = await client.SendAsync(Tagged("api", "/v1/models", key.RawKey));
        using var page = await client.SendAsync(Tagged("page", "/account/login"));
        using var traced = Tagged("traced-caller", "/v1/models", key.RawKey);
        traced.Headers.Add("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"); // a caller's own, sampled trace
        using var withParent = await client.SendAsync(traced);

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK), (api.StatusCode, page.StatusCode, withParent.StatusCode));
        foreach (var tag in new[] { "api", "page", "traced-caller" })
        {
            Assert.False((await probe.RequestAsync(tag)).HasActivity, $"{tag}: hosting started an Activity with no trace exporter");
        }
    }

    [Fact]
    public async Task TraceTheConfiguredShareOfRequestsWhenTracesAreExported()
    {
        await using var collector = await FakeUpstream.StartAsync((_, context) => { context.Response.StatusCode = StatusCodes.Status200OK; return Task.CompletedTask; });
        foreach (var (ratio, recorded) in new[] { ("1", true), ("0", false) })
        {
            PipelineProbe probe = null!;
            var server = await PostgresServer.InstanceAsync();
            await using var host = new LlmTrHostFactory(await server.CreateMigratedDatabaseAsync(), Exporting(collector, ratio), services => probe = PipelineProbe.AddTo(services));
            var (_, key) = await TestAccounts.CreateKeyAsync(host);
            using var client = host.CreateClient();

            using var api = await client.SendAsync(Tagged("api", "/v1/models", key.RawKey));
            using var forced = Tagged("forced", "/v1/models", key.RawKey);
            forced.Headers.Add("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
            using var withParent = await client.SendAsync(forced);

            Assert.Equal(HttpStatusCode.OK, api.StatusCode);
            Assert.Equal(HttpStatusCode.OK, withParent.StatusCode);
            Assert.Equal(recorded, (await probe.RequestAsync("api")).Recorded);
            // The ratio decides, not the caller: a sampled traceparent does not force a trace at ratio 0.
            Assert.Equal(recorded, (await probe.RequestAsync("forced")).Recorded);
        }
    }

    [Fact]
    public async Task SendNoTraceContextToProvidersUnlessConfigured()
    {
        await using var collector = await FakeUpstream.StartAsync((_, context) => { context.Response.StatusCode = StatusCodes.Status200OK; return Task.CompletedTask; });
        await using var upstream = await FakeUpstream.StartAsync((_, context) => Sse.JsonAsync(context, 200, FakeOpenAi.Completion("ok")));
        foreach (var (sendTraceContext, expected) in new[] { ((string?)null, false), ("true", true) })
        {
            var settings = Exporting(collector, "1");
            if (sendTraceContext is not null)
            {
                settings["Gateway:SendTraceContext"] = sendTraceContext;
            }
            await using var gateway = await GatewayHost.StartAsync([("openai", upstream, "/v1")], settings);
            var (_, key) = await gateway.FundedKeyAsync();
            var before = upstream.Received.Count;

            await gateway.Chat(key.RawKey, "openai/gpt-4o").CompleteChatAsync([new OpenAI.Chat.UserChatMessage("hello")]);

            var received = upstream.Received.Skip(before).Single();
            Assert.Equal("/v1/chat/completions", received.PathAndQuery);
            Assert.True(expected == (received.Header("traceparent") is not null),
                $"Gateway:SendTraceContext={sendTraceContext ?? "unset"}: traceparent {(expected ? "missing" : $"sent ({received.Header("traceparent")})")}");
        }
    }

    /// <summary>Traces (and metrics, logs) exported over OTLP/HTTP to a stand-in collector, at this sampling ratio.</summary>
    private static Dictionary<string, string?> Exporting(FakeUpstream collector, string ratio) => new()
    {
        ["OTEL_EXPORTER_OTLP_ENDPOINT"] = collector.BaseAddress.ToString().TrimEnd('/'),
        ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
        ["Telemetry:TraceSampleRatio"] = ratio,
    };

    private static HttpRequestMessage Tagged(string tag, string path, string? rawKey = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("x-probe", tag);
        if (rawKey is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", rawKey);
        }

        return request;
    }
}
