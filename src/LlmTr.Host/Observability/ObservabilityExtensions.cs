using Microsoft.Extensions.Logging.Console;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace LlmTr.Host.Observability;

internal static class ObservabilityExtensions
{
    /// <summary>The category ASP.NET Core's hosting logs each request under (and whose being on makes it trace each request).</summary>
    public const string HostingDiagnosticsCategory = "Microsoft.AspNetCore.Hosting.Diagnostics";

    /// <summary>
    /// Logs: JSON lines outside Development. Management commands log to stderr only, so stdout carries nothing but their
    /// result. With OTEL_EXPORTER_OTLP_ENDPOINT set, metrics for ASP.NET Core, HttpClient, Npgsql and the gateway,
    /// sampled traces (<see cref="TelemetryOptions.TraceSampleRatio"/>) and logs, all exported over OTLP.
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

        builder.Services.AddOptions<TelemetryOptions>().Bind(builder.Configuration.GetSection(TelemetryOptions.Section))
            .Validate(o => o.TraceSampleRatio is >= 0 and <= 1, "Telemetry:TraceSampleRatio must be between 0 and 1 (the share of requests traced).")
            .ValidateOnStart();
        var telemetry = builder.Configuration.GetSection(TelemetryOptions.Section).Get<TelemetryOptions>() ?? new TelemetryOptions();

        // Metrics and spans are collected only when they go somewhere: with no collector they would cost every request
        // (and every upstream call) for nothing. The instruments themselves always exist, so `dotnet-counters monitor
        // --counters LlmTr.Gateway,Microsoft.AspNetCore.Hosting` reads a running host without any exporter.
        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            // A share of requests is traced, decided from the trace id alone: a caller's traceparent can neither force
            // a trace (the /v1 API is public) nor suppress one. Work inside a traced request follows its decision.
            var ratio = new TraceIdRatioBasedSampler(Math.Clamp(telemetry.TraceSampleRatio, 0, 1));
            builder.Services.AddOpenTelemetry()
                .ConfigureResource(resource => resource.AddService("llmtr"))
                .WithMetrics(metrics => metrics
                    .AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation()
                    .AddMeter("Npgsql", "LlmTr.Gateway", "LlmTr.SharedCounters", "LlmTr.Billing"))
                .WithTracing(tracing => tracing
                    .SetSampler(new ParentBasedSampler(ratio, remoteParentSampled: ratio, remoteParentNotSampled: ratio))
                    .AddAspNetCoreInstrumentation(o => o.Filter = context => !context.Request.Path.StartsWithSegments("/health"))
                    .AddHttpClientInstrumentation()
                    .AddNpgsql())
                .WithLogging()
                .UseOtlpExporter();
        }
        else if (string.IsNullOrEmpty(builder.Configuration[$"Logging:LogLevel:{HostingDiagnosticsCategory}"]))
        {
            // ASP.NET Core's hosting starts an Activity and a logging scope for every request whenever its log category
            // is on at any level, even when nothing reads them. Without a trace exporter it is off, so a request costs
            // neither; an operator who wants its per-request lines (and their scopes) sets its level explicitly.
            builder.Logging.AddFilter(HostingDiagnosticsCategory, LogLevel.None);
        }

        return builder;
    }
}

/// <summary>Tracing (section <c>Telemetry</c>); traces are exported only when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set.</summary>
internal sealed class TelemetryOptions
{
    public const string Section = "Telemetry";

    /// <summary>The share of requests traced (0 to 1) when traces are exported; the others cost no span.</summary>
    public double TraceSampleRatio { get; set; } = 0.1;
}
