using System.Buffers;

namespace LlmTr.Modules.Gateway.Protocols;

/// <summary>
/// Holds the data of one upstream SSE event at a time, for <see cref="System.Net.ServerSentEvents.SseParser"/>: the
/// parser hands each event over just before yielding it, and the relay translates it before asking for the next, so one
/// rented buffer (grown when an event is larger) serves a whole stream instead of a new array per event.
/// </summary>
internal sealed class SseEventBuffer : IDisposable
{
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(4096);

    /// <summary>The item parser: copies the event's data over the previous event's and returns it.</summary>
    public ReadOnlyMemory<byte> Hold(string eventType, ReadOnlySpan<byte> data)
    {
        _ = eventType;
        if (data.Length > _buffer.Length)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = ArrayPool<byte>.Shared.Rent(data.Length);
        }

        data.CopyTo(_buffer);
        return _buffer.AsMemory(0, data.Length);
    }

    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
    }
}
