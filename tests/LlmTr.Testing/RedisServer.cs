using System.Diagnostics;
using System.Net.Sockets;
using System.Text;

namespace LlmTr.Testing;

/// <summary>
/// A throwaway Redis (Debian's <c>redis-server</c>) on a free loopback port, keeping nothing on disk: one per test
/// process for tests of counters shared across hosts (their keys are per account and key, so tests do not meet), and
/// one of its own for a test that stops and restarts it.
/// </summary>
public sealed class RedisServer : IAsyncDisposable
{
    private static readonly Lazy<Task<RedisServer>> Shared = new(() => StartOwnAsync());

    private Process? _process;

    private RedisServer(int port) => Port = port;

    public int Port { get; }

    /// <summary>What <c>ConnectionStrings:Redis</c> takes to reach this server.</summary>
    public string ConnectionString => $"127.0.0.1:{Port}";

    /// <summary>The test process's shared server: never stop it.</summary>
    public static Task<RedisServer> InstanceAsync() => Shared.Value;

    /// <summary>A server of the caller's own, which it may stop and start again (on the same port, empty).</summary>
    public static async Task<RedisServer> StartOwnAsync()
    {
        var server = new RedisServer(FreePort.Next());
        await server.StartAsync();
        return server;
    }

    public async Task StartAsync()
    {
        var start = new ProcessStartInfo("redis-server")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in new[] { "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--daemonize", "no" })
        {
            start.ArgumentList.Add(argument);
        }

        _process = Process.Start(start) ?? throw new InvalidOperationException("redis-server did not start.");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var process = _process;
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Kill(process);
        await Poll.UntilAsync(PingAsync, $"redis-server to answer on port {Port}", TimeSpan.FromSeconds(20));
    }

    /// <summary>Stops the server at once, as a crash would, and waits until it is gone (it keeps nothing on disk).</summary>
    public async Task StopAsync()
    {
        if (_process is not { } process)
        {
            return;
        }

        _process = null;
        Kill(process);
        await process.WaitForExitAsync();
        process.Dispose();
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    private async Task<bool> PingAsync()
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync("127.0.0.1", Port);
            var stream = client.GetStream();
            await stream.WriteAsync("PING\r\n"u8.ToArray());
            var buffer = new byte[16];
            var read = await stream.ReadAsync(buffer);
            return Encoding.ASCII.GetString(buffer, 0, read).StartsWith("+PONG", StringComparison.Ordinal);
        }
        catch (Exception e) when (e is SocketException or IOException)
        {
            return false;
        }
    }

    private static void Kill(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: false);
            }
        }
        catch (InvalidOperationException)
        {
        }
    }
}
