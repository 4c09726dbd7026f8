using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace LlmTr.Modules.Gateway;

/// <summary>
/// The gateway's own measurements (meter <c>LlmTr.Gateway</c>): requests by model and status, the provider's time to
/// answer, and the gateway's overhead per request — total time minus the time spent waiting on the provider.
/// </summary>
internal sealed class GatewayMetrics
{
    public const string MeterName = "LlmTr.Gateway";

    private readonly Counter<long> _requests;
    private readonly Histogram<double> _overhead;
    private readonly Histogram<double> _upstream;

    public GatewayMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _requests = meter.CreateCounter<long>("llmtr.gateway.requests", description: "Finished /v1 requests");
        _overhead = meter.CreateHistogram<double>("llmtr.gateway.overhead", unit: "ms", description: "Time the gateway added to a request (total minus waiting on the provider)");
        _upstream = meter.CreateHistogram<double>("llmtr.gateway.upstream.duration", unit: "ms", description: "Time spent waiting on the provider");
    }

    public void Finished(string model, int status, string outcome, TimeSpan total, TimeSpan upstream, bool calledUpstream)
    {
        var tags = new TagList { { "model", model }, { "status", status }, { "outcome", outcome } };
        _requests.Add(1, tags);
        if (calledUpstream)
        {
            _upstream.Record(upstream.TotalMilliseconds, new KeyValuePair<string, object?>("model", model));
        }

        _overhead.Record(Math.Max(0, (total - upstream).TotalMilliseconds), new KeyValuePair<string, object?>("model", model));
    }
}
