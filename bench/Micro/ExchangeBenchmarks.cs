using BenchmarkDotNet.Attributes;
using LlmTr.Modules.Billing.Contracts;
using LlmTr.Modules.Gateway.Chat;
using LlmTr.Modules.Gateway.Pipeline;
using LlmTr.Modules.Keys.Contracts;
using Microsoft.AspNetCore.Http;

namespace LlmTr.Bench.Micro;

/// <summary>What every /v1 request pays around the provider call: its id, the data-path headers, the usage report.</summary>
public class ExchangeBenchmarks
{
    private readonly ApiKeyIdentity _identity = new(Guid.NewGuid(), "bench-user", "bench", 600, null, ApiKeyScope.Unrestricted);
    private readonly TimeProvider _time = TimeProvider.System;

    [Benchmark(Description = "request id (time-ordered)")]
    public string RequestId() => RequestIds.New(_time.GetUtcNow());

    [Benchmark(Description = "exchange: ids, data-path headers, usage report")]
    public UsageReport Bookkeeping()
    {
        var exchange = new Exchange(new HttpAnswer(new DefaultHttpContext()), null, _time) { Identity = _identity };
        exchange.SetModel(Samples.Gpt4o);
        return exchange.Report(Samples.Gpt4o, UsageCounts.None);
    }
}
