using System.Text;

namespace LlmTr.Bench.Upstream;

/// <summary>Every answer the fake upstream sends, built once per stream shape: the hot path only copies bytes.</summary>
internal sealed class Bodies
{
    private const string Head = "\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion.chunk\",\"created\":1767225600,\"model\":\"gpt-4o-2024-08-06\",\"system_fingerprint\":\"fp_bench\"";
    private const string Usage = "\"usage\":{\"prompt_tokens\":24,\"completion_tokens\":20,\"total_tokens\":44,\"prompt_tokens_details\":{\"cached_tokens\":0},\"completion_tokens_details\":{\"reasoning_tokens\":0}}";

    private Bodies(byte[] completion, byte[][] chunks, byte[] burst, byte[] tail, byte[] tailWithUsage, int paceMs)
    {
        Completion = completion;
        Chunks = chunks;
        Burst = burst;
        Tail = tail;
        TailWithUsage = tailWithUsage;
        PaceMs = paceMs;
    }

    public byte[] Completion { get; }

    /// <summary>Each content chunk as one SSE event; the first carries the role, the last the finish reason.</summary>
    public byte[][] Chunks { get; }

    /// <summary>Every chunk but the first, concatenated.</summary>
    public byte[] Burst { get; }

    public byte[] Tail { get; }

    public byte[] TailWithUsage { get; }

    public int PaceMs { get; }

    public static Bodies Build(int chunkCount, int paceMs)
    {
        chunkCount = Math.Max(1, chunkCount);
        var completion = "{\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion\",\"created\":1767225600,\"model\":\"gpt-4o-2024-08-06\","
            + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"Hello! The benchmark's upstream answers every request with this same short text.\",\"refusal\":null,\"annotations\":[]},\"logprobs\":null,\"finish_reason\":\"stop\"}],"
            + Usage + ",\"service_tier\":\"default\",\"system_fingerprint\":\"fp_bench\"}";
        var chunks = new byte[chunkCount][];
        for (var i = 0; i < chunkCount; i++)
        {
            var delta = i == 0 ? "{\"role\":\"assistant\",\"content\":\"\"}" : $"{{\"content\":\"word{i} \"}}";
            var finish = i == chunkCount - 1 ? "\"stop\"" : "null";
            chunks[i] = Encoding.UTF8.GetBytes($"data: {{{Head},\"choices\":[{{\"index\":0,\"delta\":{delta},\"logprobs\":null,\"finish_reason\":{finish}}}]}}\n\n");
        }

        var done = "data: [DONE]\n\n";
        var usageChunk = $"data: {{{Head},\"choices\":[],{Usage}}}\n\n";
        return new Bodies(
            Encoding.UTF8.GetBytes(completion),
            chunks,
            chunks.Skip(1).SelectMany(c => c).ToArray(),
            Encoding.UTF8.GetBytes(done),
            Encoding.UTF8.GetBytes(usageChunk + done),
            paceMs);
    }
}
