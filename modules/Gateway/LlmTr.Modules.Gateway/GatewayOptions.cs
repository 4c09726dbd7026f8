namespace LlmTr.Modules.Gateway;

/// <summary>The gateway's limits (section <c>Gateway</c>); per-provider settings live under <c>Providers:{id}</c>.</summary>
internal sealed class GatewayOptions
{
    public const string Section = "Gateway";

    /// <summary>The largest request body accepted on /v1 (inline images and audio included).</summary>
    public long MaxRequestBytes { get; set; } = 20 * 1024 * 1024;

    /// <summary>
    /// The largest single inline item in a chat message (an image data URL, <c>input_audio</c> data or a file's
    /// <c>file_data</c>), counted as sent (base64); larger ones are refused with 413 <c>file_too_large</c>.
    /// </summary>
    public long MaxInlineBytes { get; set; } = 10 * 1024 * 1024;

    /// <summary>The largest audio file accepted by /v1/audio/transcriptions (OpenAI's own limit is 25 MB).</summary>
    public long MaxUploadBytes { get; set; } = 25 * 1024 * 1024;

    /// <summary>
    /// The bytes of request bodies one host holds in memory at once (each counted at the size of its pooled buffer; bodies
    /// of up to 64 KB are not counted). A large body waits for room up to <see cref="BufferedBodyWait"/>, then gets 503.
    /// </summary>
    public long MaxBufferedBodyBytes { get; set; } = 64 * 1024 * 1024;

    /// <summary>How long a large body may wait for room in <see cref="MaxBufferedBodyBytes"/> before its request gets 503 with Retry-After.</summary>
    public TimeSpan BufferedBodyWait { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Time to wait for a provider's response headers (or, non-streaming, its whole answer), unless the provider sets its own.</summary>
    public TimeSpan DefaultTimeout { get; set; } = TimeSpan.FromSeconds(120);

    /// <summary>Longest silence allowed between two events of a stream before it is ended with an error.</summary>
    public TimeSpan DefaultStreamIdleTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How deployments are chosen and set aside when they fail.</summary>
    public RoutingOptions Routing { get; set; } = new();

    /// <summary>
    /// Whether calls to providers carry this installation's trace context (the W3C <c>traceparent</c> header) when a
    /// request is traced. Off by default: providers are other companies, and the ids are the installation's own.
    /// </summary>
    public bool SendTraceContext { get; set; }
}

/// <summary>Health-aware routing: when a deployment is set aside, and for how long.</summary>
internal sealed class RoutingOptions
{
    /// <summary>Consecutive failures (unreachable, timed out, HTTP 5xx or 429) after which a deployment takes no traffic for <see cref="Cooldown"/>.</summary>
    public int FailuresToEject { get; set; } = 3;

    /// <summary>How long an ejected deployment rests; after it, the next request may try it again, and one more failure sets it aside again.</summary>
    public TimeSpan Cooldown { get; set; } = TimeSpan.FromSeconds(30);
}
