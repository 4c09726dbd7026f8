using System.Net;
using System.Net.Sockets;
using System.Text;

namespace LlmTr.Testing.Upstreams;

/// <summary>
/// A provider stand-in below HTTP: a loopback TCP listener that reads each request and then does what the test
/// scripts on the raw connection (write some bytes, wait), after which it resets the connection (RST, not a clean
/// close). For faults a real HTTP server will not produce on purpose: a reset before the headers or inside a body.
/// </summary>
public sealed class RawUpstream : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private int _requests;

    private RawUpstream(Func<NetworkStream, CancellationToken, Task> script)
    {
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        Script = script;
        _accepting = AcceptAsync();
    }

    /// <summary>What happens on the connection after a request has been read; then the connection is reset.</summary>
    public Func<NetworkStream, CancellationToken, Task> Script { get; set; }

    public Uri BaseAddress => new($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");

    /// <summary>How many requests were read (each on its own connection).</summary>
    public int Requests => Volatile.Read(ref _requests);

    public static RawUpstream Start(Func<NetworkStream, CancellationToken, Task>? script = null) =>
        new(script ?? ((_, _) => Task.CompletedTask));

    /// <summary>Writes text (an HTTP status line, headers, part of a body) and flushes it.</summary>
    public static async Task WriteAsync(NetworkStream stream, string text, CancellationToken cancellationToken)
    {
        await stream.WriteAsync(Encoding.UTF8.GetBytes(text), cancellationToken);
        await stream.FlushAsync(cancellationToken);
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptSocketAsync(_stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            _ = ServeAsync(socket);
        }
    }

    private async Task ServeAsync(Socket socket)
    {
        try
        {
            await using var stream = new NetworkStream(socket, ownsSocket: false);
            if (await ReadRequestAsync(stream, _stop.Token))
            {
                Interlocked.Increment(ref _requests);
                await Script(stream, _stop.Token);
            }
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException)
        {
            // The gateway gave up first: nothing left to do on this connection.
        }
        finally
        {
            // Linger 0: closing sends a reset instead of an orderly end of the connection.
            socket.LingerState = new LingerOption(true, 0);
            socket.Close();
        }
    }

    /// <summary>Reads the request line, headers and a Content-Length body; false if the connection ended first.</summary>
    private static async Task<bool> ReadRequestAsync(NetworkStream stream, CancellationToken cancellationToken)
    {
        var received = new List<byte>();
        var buffer = new byte[8192];
        int headerEnd;
        while ((headerEnd = IndexOfHeaderEnd(received)) < 0)
        {
            var read = await stream.ReadAsync(buffer, cancellationToken);
            if (read == 0)
            {
                return false;
            }

            received.AddRange(buffer.AsSpan(0, read));
        }

        var headers = Encoding.ASCII.GetString(received.GetRange(0, headerEnd).ToArray());
        var length = headers.Split("\r\n")
            .Where(line => line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
            .Select(line => int.Parse(line["Content-Length:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture))
            .FirstOrDefault();
        var body = received.Count - headerEnd - 4;
        while (body < length)
        {
            var read = await stream.ReadAsync(buffer, cancellationToken);
            if (read == 0)
            {
                return false;
            }

            body += read;
        }

        return true;
    }

    private static int IndexOfHeaderEnd(List<byte> bytes)
    {
        for (var i = 0; i + 3 < bytes.Count; i++)
        {
            if (bytes[i] == '\r' && bytes[i + 1] == '\n' && bytes[i + 2] == '\r' && bytes[i + 3] == '\n')
            {
                return i;
            }
        }

        return -1;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        _stop.Dispose();
    }
}
