using System.Text;
using Microsoft.AspNetCore.Http;

namespace LlmTr.Testing.Upstreams;

/// <summary>Writing server-sent events the way providers do, one flushed event at a time.</summary>
public static class Sse
{
    public static void Start(HttpContext context)
    {
        context.Response.StatusCode = 200;
        context.Response.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
    }

    public static async Task DataAsync(HttpContext context, string data, string? eventName = null)
    {
        var text = (eventName is null ? "" : $"event: {eventName}\n") + $"data: {data}\n\n";
        await context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(text), context.RequestAborted);
        await context.Response.Body.FlushAsync(context.RequestAborted);
    }

    public static async Task JsonAsync(HttpContext context, int status, string json)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(json, context.RequestAborted);
    }
}
