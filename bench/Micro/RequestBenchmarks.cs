using BenchmarkDotNet.Attributes;
using LlmTr.Modules.Gateway.Chat;

namespace LlmTr.Bench.Micro;

/// <summary>A chat request parsed once into a JsonDocument and checked against every documented rule.</summary>
public class RequestBenchmarks
{
    private readonly byte[] _request = Samples.RequestBytes;
    private readonly byte[] _streamRequest = Samples.StreamRequestBytes;

    [Benchmark(Description = "parse + validate (non-streaming request)")]
    public bool ParseAndValidate()
    {
        using var request = ChatRequest.Parse(_request, out _);
        return request!.Stream;
    }

    [Benchmark(Description = "parse + validate (streaming request)")]
    public bool ParseAndValidateStream()
    {
        using var request = ChatRequest.Parse(_streamRequest, out _);
        return request!.Stream;
    }
}
