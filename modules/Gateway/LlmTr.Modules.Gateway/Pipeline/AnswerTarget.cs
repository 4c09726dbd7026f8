using System.IO.Pipelines;
using LlmTr.Modules.Gateway.Chat;
using LlmTr.Modules.Keys.Contracts;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace LlmTr.Modules.Gateway.Pipeline;

/// <summary>
/// Where a request's answer goes: its status, headers and body, whether it has started, and whether the client is
/// still there. The pipeline and the operations answer through it, never through HTTP types, so the same pipeline
/// serves a /v1 call (<see cref="HttpAnswer"/>) and the playground in process.
/// </summary>
internal abstract class AnswerTarget
{
    /// <summary>Cancelled when the client has gone away.</summary>
    public abstract CancellationToken Aborted { get; }

    /// <summary>The status and headers have been sent: only the body can follow.</summary>
    public abstract bool HasStarted { get; }

    public abstract int StatusCode { get; set; }

    public abstract string? ContentType { get; set; }

    /// <summary>The answer's body as a stream (copies of upstream bodies) and as a pipe (JSON written in place).</summary>
    public abstract Stream Body { get; }

    public abstract PipeWriter BodyWriter { get; }

    public abstract void SetHeader(string name, string value);

    /// <summary>Starts a server-sent event stream: 200, <c>text/event-stream</c>, no caching or proxy buffering, headers sent now.</summary>
    public abstract Task StartStreamAsync();

    /// <summary>Sends bytes of a started stream and flushes them to the client at once.</summary>
    public abstract Task SendAsync(ReadOnlyMemory<byte> bytes);

    /// <summary>Ends the connection without a proper end (an answer half-sent cannot turn into an error).</summary>
    public abstract void Abort();
}

/// <summary>How a /v1 endpoint hands its call to the pipeline.</summary>
internal static class HttpCalls
{
    /// <summary>Serves a /v1 call: its key identity (set by key authentication) and request id (set on arrival) come with it.</summary>
    public static Task RunAsync(this GatewayPipeline pipeline, HttpContext http, IGatewayOperation operation, AnswerFormat? format = null) =>
        pipeline.RunAsync(new HttpAnswer(http), http.Features.Get<ApiKeyIdentity>(), http.TraceIdentifier, operation, format);
}

/// <summary>The answer of a /v1 call: its HTTP response.</summary>
internal sealed class HttpAnswer(HttpContext http) : AnswerTarget
{
    public override CancellationToken Aborted => http.RequestAborted;

    public override bool HasStarted => http.Response.HasStarted;

    public override int StatusCode
    {
        get => http.Response.StatusCode;
        set => http.Response.StatusCode = value;
    }

    public override string? ContentType
    {
        get => http.Response.ContentType;
        set => http.Response.ContentType = value;
    }

    public override Stream Body => http.Response.Body;

    public override PipeWriter BodyWriter => http.Response.BodyWriter;

    public override void SetHeader(string name, string value) => http.Response.Headers[name] = value;

    public override async Task StartStreamAsync()
    {
        var response = http.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "text/event-stream; charset=utf-8";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        http.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        await response.StartAsync(http.RequestAborted);
    }

    public override async Task SendAsync(ReadOnlyMemory<byte> bytes)
    {
        await http.Response.Body.WriteAsync(bytes, http.RequestAborted);
        await http.Response.Body.FlushAsync(http.RequestAborted);
    }

    public override void Abort() => http.Abort();
}
