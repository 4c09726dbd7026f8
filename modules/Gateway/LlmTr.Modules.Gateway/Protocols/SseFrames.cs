namespace LlmTr.Modules.Gateway.Protocols;

/// <summary>
/// The SSE events the chunk sink framed (each ends with a blank line), one at a time, for the formats that rewrite them
/// into another API's events. Frames are slices of the given memory: nothing is copied, so a frame's data can be parsed
/// in place.
/// </summary>
internal struct SseFrames(ReadOnlyMemory<byte> framed)
{
    private ReadOnlyMemory<byte> _rest = framed;

    public ReadOnlyMemory<byte> Current { get; private set; }

    public readonly SseFrames GetEnumerator() => this;

    public bool MoveNext()
    {
        if (_rest.IsEmpty)
        {
            return false;
        }

        var end = _rest.Span.IndexOf("\n\n"u8);
        Current = end < 0 ? _rest : _rest[..end];
        _rest = end < 0 ? ReadOnlyMemory<byte>.Empty : _rest[(end + 2)..];
        return true;
    }

    /// <summary>The data of a <c>data:</c> frame, or false for any other line (an <c>event:</c> line, a comment).</summary>
    public static bool TryData(ReadOnlyMemory<byte> frame, out ReadOnlyMemory<byte> data)
    {
        var isData = frame.Span.StartsWith("data: "u8);
        data = isData ? frame["data: "u8.Length..] : default;
        return isData;
    }
}
