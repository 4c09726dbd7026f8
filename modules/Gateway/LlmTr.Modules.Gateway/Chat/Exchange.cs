using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using LlmTr.Modules.Billing.Contracts;
using LlmTr.Modules.Catalog.Contracts;
using LlmTr.Modules.Gateway.Protocols;
using LlmTr.Modules.Keys.Contracts;
using LlmTr.SharedKernel;
using LlmTr.Modules.Gateway.Pipeline;

namespace LlmTr.Modules.Gateway.Chat;

/// <summary>One /v1 request in flight: its ids, what it has produced so far, and how it is answered.</summary>
internal sealed class Exchange : IDisposable
{
    private readonly TimeProvider _time;
    private readonly long _startTimestamp;
    private CatalogModel? _model;

    /// <param name="requestId">The id the request was given on arrival (<see cref="ApiAnswers"/>), or null to make one.</param>
    public Exchange(AnswerTarget target, string? requestId, TimeProvider time, AnswerFormat? format = null)
    {
        Target = target;
        Format = format;
        _time = time;
        _startTimestamp = time.GetTimestamp();
        StartedAt = time.GetUtcNow();
        Created = StartedAt.ToUnixTimeSeconds();
        RequestId = requestId ?? RequestIds.New(StartedAt);
        ResponseId = "chatcmpl-" + RequestId;
        target.SetHeader(ApiAnswers.RequestIdHeader, RequestId);
    }

    /// <summary>Where the answer goes.</summary>
    public AnswerTarget Target { get; }

    /// <summary>The client's API when it is not OpenAI's; null for OpenAI's.</summary>
    public AnswerFormat? Format { get; }

    public string RequestId { get; }

    public string ResponseId { get; }

    public DateTimeOffset StartedAt { get; }

    public long Created { get; }

    public ApiKeyIdentity? Identity { get; set; }

    public ChatRequest? Request { get; set; }

    /// <summary>The body the request was parsed from, given back to the pool and the body budget when the request ends.</summary>
    public BufferedBody? Body { get; set; }

    /// <summary>The model id a non-chat request named (chat requests carry theirs in <see cref="Request"/>).</summary>
    public string? RequestedModel { get; set; }

    public ChunkSink? Sink { get; private set; }

    public UsageOutcome Outcome { get; set; } = UsageOutcome.Succeeded;

    /// <summary>The error the request was answered with, if any: its code and the gateway's own words go into the usage row.</summary>
    public GatewayError? Error { get; private set; }

    /// <summary>What the request has consumed so far and on which model: reported to Billing when it ends.</summary>
    public (CatalogModel Model, UsageCounts Counts)? Billable { get; private set; }

    /// <summary>Time spent waiting on providers so far (the rest of the request's time is the gateway's own).</summary>
    public TimeSpan UpstreamTime { get; private set; }

    public bool CalledUpstream { get; private set; }

    /// <summary>
    /// How long the deployment called last took to answer, to its response headers (or to its failure); null before any
    /// call. Unlike <see cref="UpstreamTime"/> it is one deployment's time, without earlier attempts or a stream's
    /// generation, which is what the usage row keeps for that deployment's health.
    /// </summary>
    public TimeSpan? DeploymentLatency { get; private set; }

    /// <summary>Notes the time the deployment just called took to answer (see <see cref="DeploymentLatency"/>), and returns it.</summary>
    public TimeSpan DeploymentAnswered(TimeSpan elapsed)
    {
        DeploymentLatency = elapsed;
        return elapsed;
    }

    public TimeSpan Elapsed => _time.GetElapsedTime(_startTimestamp);

    /// <summary>Awaits a provider operation, counting the wait as the provider's time.</summary>
    public async Task<T> WaitOnUpstreamAsync<T>(Func<Task<T>> operation)
    {
        CalledUpstream = true;
        var started = _time.GetTimestamp();
        try
        {
            return await operation();
        }
        finally
        {
            UpstreamTime += _time.GetElapsedTime(started);
        }
    }

    /// <summary>What the request holds of the account's balance and key limits while it runs (a paid model); released when it ends.</summary>
    public CreditHold? CreditHold { get; set; }

    /// <summary>Usage was already handed to Billing (its cost went into the answer).</summary>
    public bool Recorded { get; private set; }

    /// <summary>The model now being served (the requested one, or a fallback); its data path is announced in headers.</summary>
    public void SetModel(CatalogModel model)
    {
        _model = model;
        DeploymentLatency = null; // a deployment not called yet (or one the client left before it answered) has no time of its own
        Target.SetHeader("x-llmtr-processed-in", DataPathSummary.Of(model).Header);
        Target.SetHeader("x-llmtr-hosted-in-turkey", model.HostedInTurkey ? "true" : "false");
    }

    public void Produced(UsageCounts counts, bool reported)
    {
        _ = reported;
        Billable = (_model!, counts);
    }

    /// <summary>Hands the finished request to Billing now (its cost is part of the answer) and returns the cost.</summary>
    public UsageCharge Charge(IUsageRecorder recorder, CatalogModel model, UsageCounts counts)
    {
        Billable = (model, counts);
        Recorded = true;
        return recorder.Record(Report(model, counts));
    }

    /// <summary>
    /// The usage report for whatever this request ended as. Its countries are those of the data path the request
    /// reached (the model that served it, or the last one whose provider was called); a request refused before that
    /// records none, so the residency report lists it apart.
    /// </summary>
    public UsageReport Report(CatalogModel? model, UsageCounts counts) => new(
        RequestId,
        Identity!.AccountId,
        Identity.KeyId,
        model?.Id ?? Recordable(Request?.Model ?? RequestedModel ?? ""),
        StartedAt,
        Elapsed,
        Outcome,
        Target.StatusCode,
        counts,
        Reached(model) is { } reached ? DataPathSummary.Of(reached).Countries : [],
        Request?.Stream ?? false)
    {
        Reserved = true,
        Deployment = CalledUpstream && Reached(model) is { Deployments: [var deployment, ..] } ? deployment.Name : null, // only an admitted request (one that reserved its row) has an identity to report for
        UpstreamLatencyMs = CalledUpstream && DeploymentLatency is { } latency ? Milliseconds(latency) : null,
        SpendKeyId = Identity.LineageId,
        MemberSpendId = Identity.MemberSpendId,
        ErrorCode = Outcome == UsageOutcome.Failed ? Error?.Error.Code ?? Error?.Error.Type : null,
        ErrorMessage = Outcome == UsageOutcome.Failed ? Error?.Summary : null,
    };

    private static int Milliseconds(TimeSpan time) => (int)Math.Clamp(Math.Round(time.TotalMilliseconds), 0, int.MaxValue);

    /// <summary>The model (as served from one deployment) the request reached: the one given, or the last one called.</summary>
    private CatalogModel? Reached(CatalogModel? model) => model ?? (CalledUpstream ? _model : null);

    public async Task<ChunkSink> StartStreamAsync(CatalogModel model)
    {
        Sink = Format?.CreateStream(ResponseId, model.Id, Created, RequestId) ?? new OpenAiChunks(ResponseId, model.Id, Created, Request?.IncludeUsage ?? false);
        await Target.StartStreamAsync();
        return Sink;
    }

    /// <summary>Sends the events rendered so far and flushes them to the client at once.</summary>
    public async Task SendAsync()
    {
        if (Sink is { HasPending: true } sink)
        {
            await Target.SendAsync(sink.TakePending());
        }
    }

    /// <summary>Answers with an error: the JSON error object before the answer started, an SSE error event after.</summary>
    public async Task FailAsync(GatewayError error)
    {
        Error = error;
        if (Target.HasStarted)
        {
            if (Sink is null)
            {
                // A JSON answer already half-sent cannot be turned into an error: end the connection rather than lie.
                Outcome = UsageOutcome.Failed;
                Target.Abort();
                return;
            }

            await FailStreamAsync(error);
            return;
        }

        Outcome = UsageOutcome.Failed;
        if (Format is not null)
        {
            await Format.WriteErrorAsync(Target, error, RequestId);
            return;
        }

        Target.StatusCode = error.Status;
        Target.ContentType = "application/json";
        await JsonSerializer.SerializeAsync(Target.Body, new OpenAiErrorResponse(error.Error), GatewayJson.Default.OpenAiErrorResponse, Target.Aborted);
    }

    /// <summary>An error once streaming started: the stream's error event (OpenAI's error object in OpenAI's API), then the stream ends cleanly.</summary>
    public async Task FailStreamAsync(GatewayError error)
    {
        Error = error;
        Outcome = UsageOutcome.Failed;
        Sink!.Error(error.Error);
        await SendAsync();
    }

    /// <summary>Gives back what the request held: the format's translation, the parsed request, then the body it was parsed from, and the stream writer.</summary>
    public void Dispose()
    {
        Format?.Release();
        Request?.Dispose();
        Body?.Dispose();
        Sink?.Dispose();
    }

    /// <summary>
    /// A model name the client sent that is not in the catalog, as it can be stored: control characters (PostgreSQL
    /// refuses a NUL in text, which would lose the usage row) replaced, and cut to a sane length.
    /// </summary>
    private static string Recordable(string requested)
    {
        const int MaxLength = 200;
        var name = requested.Length <= MaxLength ? requested : requested[..(char.IsHighSurrogate(requested[MaxLength - 1]) ? MaxLength - 1 : MaxLength)];
        return name.AsSpan().ContainsAnyInRange('\u0000', '\u001f') || name.Contains('\u007f', StringComparison.Ordinal)
            ? string.Create(name.Length, name, (chars, source) =>
            {
                for (var i = 0; i < source.Length; i++)
                {
                    chars[i] = char.IsControl(source[i]) ? '?' : source[i];
                }
            })
            : name;
    }
}

/// <summary>
/// What a model's data path puts into every answer and usage row: the countries it is processed in, once each. Worked out once per catalog model (a catalog change brings new model objects), not per
/// request. The country list is shared by the usage reports of that model and is never changed.
/// </summary>
internal sealed class DataPathSummary
{
    private static readonly ConditionalWeakTable<CatalogModel, DataPathSummary> Summaries = new();

    private DataPathSummary(CatalogModel model)
    {
        Countries = model.DataPath.Select(h => h.Country.ToUpperInvariant()).Distinct(StringComparer.Ordinal).ToArray();
        Header = string.Join(',', Countries);
    }

    public string[] Countries { get; }

    /// <summary>The <c>x-llmtr-processed-in</c> header: the countries, comma-separated.</summary>
    public string Header { get; }

    public static DataPathSummary Of(CatalogModel model) => Summaries.GetValue(model, static m => new DataPathSummary(m));
}

/// <summary>
/// Request ids: <c>req_</c> and 32 hex digits laid out as a version-7 UUID (48 bits of Unix milliseconds, then random
/// bits), so ids sort by time and never repeat in practice. The random bits need not be secret (an id grants nothing:
/// lookups are always limited to the caller's own account), so they come from the fast shared generator rather than
/// the operating system's cryptographic one, which costs a system call per request.
/// </summary>
internal static class RequestIds
{
    public static string New(DateTimeOffset at)
    {
        Span<byte> bytes = stackalloc byte[16];
        Random.Shared.NextBytes(bytes[6..]);
        var millis = at.ToUnixTimeMilliseconds();
        for (var i = 5; i >= 0; i--)
        {
            bytes[i] = (byte)millis;
            millis >>= 8;
        }

        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x70); // version 7
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80); // RFC 9562 variant
        Span<char> chars = stackalloc char[4 + 32];
        "req_".CopyTo(chars);
        Convert.TryToHexStringLower(bytes, chars[4..], out _);
        return new string(chars);
    }
}
