using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace LlmTr.Testing;

/// <summary>
/// Just enough of an SMTP server on a local port for MailKit's SmtpClient to hand it a message (EHLO, MAIL, RCPT,
/// DATA, QUIT; no TLS, no authentication, no extensions advertised). Every message received is kept, raw and parsed.
/// </summary>
public sealed class FakeSmtp : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentQueue<string> _messages = new();
    private readonly Task _serving;

    public FakeSmtp()
    {
        _listener.Start();
        _serving = ServeAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public IReadOnlyCollection<string> Messages => _messages;

    /// <summary>The messages received, parsed (headers decoded, bodies read from their transfer encoding).</summary>
    public IReadOnlyList<MimeKit.MimeMessage> Mails =>
        [.. _messages.Select(raw => MimeKit.MimeMessage.Load(new MemoryStream(Encoding.UTF8.GetBytes(raw))))];

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _listener.Stop();
        try
        {
            await _serving;
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }

        _stopping.Dispose();
    }

    private async Task ServeAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            using var client = await _listener.AcceptTcpClientAsync(_stopping.Token);
            await using var stream = client.GetStream();
            using var reader = new StreamReader(stream, Encoding.UTF8);
            await using var writer = new StreamWriter(stream, new UTF8Encoding(false)) { NewLine = "\r\n", AutoFlush = true };
            await writer.WriteLineAsync("220 fake-smtp ready");
            while (await reader.ReadLineAsync(_stopping.Token) is { } line)
            {
                var verb = line.Split(' ', 2)[0].ToUpperInvariant();
                if (verb == "DATA")
                {
                    await writer.WriteLineAsync("354 end with <CRLF>.<CRLF>");
                    var message = new StringBuilder();
                    while (await reader.ReadLineAsync(_stopping.Token) is { } data && data != ".")
                    {
                        message.AppendLine(data.StartsWith("..", StringComparison.Ordinal) ? data[1..] : data); // dot-stuffing
                    }

                    _messages.Enqueue(message.ToString());
                    await writer.WriteLineAsync("250 queued");
                }
                else if (verb == "QUIT")
                {
                    await writer.WriteLineAsync("221 bye");
                    break;
                }
                else
                {
                    await writer.WriteLineAsync(verb is "EHLO" or "HELO" ? "250 fake-smtp" : "250 OK");
                }
            }
        }
    }
}
