using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace LlmTr.Testing;

/// <summary>
/// A database outage for one host without touching the shared test cluster: a TCP forwarder on a loopback port that
/// relays to PostgreSQL until it is cut. Cutting closes every live connection and turns new ones away (accepted and
/// closed at once, as a server that is down would); restoring relays again. Point a host's connection string at
/// <see cref="ConnectionString"/>.
/// </summary>
public sealed class DatabaseCut : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly string _targetHost;
    private readonly int _targetPort;
    private readonly ConcurrentDictionary<TcpClient, byte> _live = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _accepting;
    private volatile bool _cut;

    public DatabaseCut(string connectionString)
    {
        var target = new NpgsqlConnectionStringBuilder(connectionString);
        _targetHost = target.Host!;
        _targetPort = target.Port;
        _listener.Start();
        ConnectionString = new NpgsqlConnectionStringBuilder(connectionString)
        {
            Host = IPAddress.Loopback.ToString(),
            Port = ((IPEndPoint)_listener.LocalEndpoint).Port,
            Timeout = 3,
        }.ConnectionString;
        _accepting = AcceptAsync();
    }

    /// <summary>The database's connection string, through this forwarder.</summary>
    public string ConnectionString { get; }

    public bool IsCut => _cut;

    /// <summary>Closes every relayed connection and refuses new ones until <see cref="Restore"/>.</summary>
    public void Cut()
    {
        _cut = true;
        foreach (var client in _live.Keys)
        {
            Close(client);
        }
    }

    public void Restore() => _cut = false;

    /// <summary>
    /// Arms a one-off fault: on the next connection that runs a COPY, the server's answer to the following COMMIT is
    /// never relayed; that connection is reset instead. The transaction is committed, but the client cannot know it.
    /// </summary>
    public void LoseNextCommitAfterCopy() => Volatile.Write(ref _loseCommitAfterCopy, 1);

    /// <summary>How many commits were committed by the server but never acknowledged to the client.</summary>
    public int CommitsLost => Volatile.Read(ref _commitsLost);

    private int _loseCommitAfterCopy;
    private int _commitsLost;

    /// <summary>CommandComplete messages, as the server sends them: a COPY's ("COPY n") and a COMMIT's.</summary>
    private static readonly byte[] CopyComplete = "COPY "u8.ToArray();
    private static readonly byte[] CommitComplete = [(byte)'C', 0, 0, 0, 11, .. "COMMIT"u8, 0];

    private async Task RelayDownAsync(NetworkStream server, NetworkStream client)
    {
        var buffer = new byte[81920];
        var window = new List<byte>();
        var copied = false;
        while (true)
        {
            var read = await server.ReadAsync(buffer, _stopping.Token);
            if (read == 0)
            {
                return;
            }

            if (Volatile.Read(ref _loseCommitAfterCopy) == 1)
            {
                // What the last reads ended with and this one: a message split across reads is still found.
                window.AddRange(buffer.AsSpan(0, read));
                var seen = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(window);
                copied |= seen.IndexOf(CopyComplete) >= 0;
                if (copied && seen.IndexOf(CommitComplete) >= 0 && Interlocked.Exchange(ref _loseCommitAfterCopy, 0) == 1)
                {
                    Interlocked.Increment(ref _commitsLost);
                    return; // the caller resets both sides; the acknowledgement is dropped
                }

                window.RemoveRange(0, Math.Max(0, window.Count - CommitComplete.Length));
            }

            await client.WriteAsync(buffer.AsMemory(0, read), _stopping.Token);
        }
    }

    private async Task AcceptAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stopping.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            if (_cut)
            {
                Close(client);
                continue;
            }

            _ = RelayAsync(client);
        }
    }

    private async Task RelayAsync(TcpClient client)
    {
        var server = new TcpClient();
        _live[client] = 0;
        _live[server] = 0;
        try
        {
            await server.ConnectAsync(_targetHost, _targetPort, _stopping.Token);
            if (_cut)
            {
                return;
            }

            var up = client.GetStream().CopyToAsync(server.GetStream(), _stopping.Token);
            var down = RelayDownAsync(server.GetStream(), client.GetStream());
            await Task.WhenAny(up, down);
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // A cut, or one side closed: both sides are closed below.
        }
        finally
        {
            Close(client);
            Close(server);
        }
    }

    private void Close(TcpClient client)
    {
        _live.TryRemove(client, out _);
        try
        {
            // Reset rather than a polite close, as a lost server or network would look to the client.
            if (client.Client is { } socket)
            {
                socket.LingerState = new LingerOption(true, 0);
            }

            client.Close();
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _listener.Stop();
        Cut();
        await _accepting;
        _stopping.Dispose();
    }
}
