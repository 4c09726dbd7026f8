using Microsoft.Extensions.Logging.Console;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace LlmTr.Host.Observability;

internal static class ObservabilityExtensions
{
    /// <summary>
    /// Logs: JSON lines outside Development, each carrying the request's scope (RequestId, TraceId). Management commands
    /// log to stderr only, so stdout carries nothing but their result. With OTEL_EXPORTER_OTLP_ENDPOINT set, metrics for
    /// ASP.NET Core, HttpClient, Npgsql and the gateway, traces and logs, all exported over OTLP.
    /// </summary>
    public static WebApplicationBuilder AddLlmTrObservability(this WebApplicationBuilder builder, bool managementCommand)
    {
        builder.Logging.ClearProviders();
        if (managementCommand)
        {
            builder.Logging.AddSimpleConsole(o => o.SingleLine = true)
                .AddFilter("Microsoft", LogLevel.Warning)
                .AddFilter("Hangfire", LogLevel.Warning);
            builder.Services.Configure<ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        }
        else if (builder.Environment.IsDevelopment())
        {
            builder.Logging.AddSimpleConsole(o => o.TimestampFormat = "HH:mm:ss ");
        }
        else
        {
            builder.Logging.AddJsonConsole(o =>
            {
                o.IncludeScopes = true;
                o.UseUtcTimestamp = true;
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
            });
        }

        // Metrics and spans are collected only when they go somewhere: with no collector they would cost every request
        // (and every upstream call) for nothing. The instruments themselves always exist, so `dotnet-counters monitor
        // --counters LlmTr.Gateway,Microsoft.AspNetCore.Hosting` reads a running host without any exporter. Logs carry
        // the trace and span ids either way.
        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            builder.Services.AddOpenTelemetry()
                .ConfigureResource(resource => resource.AddService("llmtr"))
                .WithMetrics(metrics => metrics
                    .AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation()
                    .AddMeter("Npgsql", "LlmTr.Gateway"))
                .WithTracing(tracing => tracing
                    .AddAspNetCoreInstrumentation(o => o.Filter = context => !context.Request.Path.StartsWithSegments("/health"))
                    .AddHttpClientInstrumentation()
                    .AddNpgsql())
                .WithLogging()
                .UseOtlpExporter();
        }

        return builder;
    }
}
