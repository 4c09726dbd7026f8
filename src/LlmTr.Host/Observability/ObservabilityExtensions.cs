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
    /// log to stderr only, so stdout carries nothing but their result. Metrics for ASP.NET Core, HttpClient, Npgsql and the
    /// gateway; with OTEL_EXPORTER_OTLP_ENDPOINT set, traces and logs too, all exported over OTLP.
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

        var exportOtlp = !string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("llmtr"))
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddMeter("Npgsql", "LlmTr.Gateway"));
        if (exportOtlp)
        {
            // Spans are recorded only when they go somewhere: with no collector they would cost every request (and
            // every upstream call) for nothing. Logs carry the trace and span ids either way.
            telemetry
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
