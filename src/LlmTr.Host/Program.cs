using System.Reflection;
using System.Security.Cryptography;
using LlmTr.Host;
using LlmTr.Host.Cli;
using LlmTr.Host.Database;
using LlmTr.Host.Demo;
using LlmTr.Host.Jobs;
using LlmTr.Host.Observability;
using LlmTr.Identity;
using LlmTr.Modules.Billing;
using LlmTr.Modules.Catalog;
using LlmTr.Modules.Docs;
using LlmTr.Modules.Gateway;
using LlmTr.Modules.Keys;
using LlmTr.Persistence.Shared;
using LlmTr.SharedKernel;
using LlmTr.Web;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

// A management command (migrate, seed, users create, ...) runs against the built host and exits;
// anything else serves the site. Command words are kept away from the host's own configuration.
ManagementCommand? command = null;
if (ManagementCommand.IsCommandLine(args))
{
    command = ManagementCommand.Parse(args, out var usageError);
    if (command is null)
    {
        await Console.Error.WriteLineAsync(usageError + Environment.NewLine + ManagementCommand.UsageText);
        return ManagementCommand.Usage;
    }
}

var builder = WebApplication.CreateBuilder(command is null ? args : []);
builder.WebHost.UseStaticWebAssets();
builder.AddLlmTrObservability(managementCommand: command is not null);

builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddScoped<IEventPublisher, InProcessEventPublisher>();
builder.Services.AddHostDatabase(builder.Configuration);
builder.Services.AddSharedCounters(); // Redis for limits and holds across hosts, when ConnectionStrings:Redis is set
builder.Services.AddSingleton(sp => DemoMode.From(sp.GetRequiredService<IConfiguration>(), sp.GetRequiredService<IHostEnvironment>()));
builder.Services.AddSingleton<DemoSeedResult>();
builder.Services.AddScoped<DemoSeed>();

builder.Services.AddLlmTrIdentity(builder.Configuration, devMailboxAllowed: services =>
    DemoMode.AllowsDevMailbox(services.GetRequiredService<IConfiguration>(), services.GetRequiredService<IHostEnvironment>()));
builder.Services.AddCatalogModule(builder.Configuration);
builder.Services.AddKeysModule(builder.Configuration, localHashSecret: services =>
    HostConnectionString.IsConfigured(services.GetRequiredService<IConfiguration>())
        ? null
        : services.GetRequiredService<LocalState>().ReadOrCreateSecret("keys-hash-secret", () => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))));
builder.Services.AddBillingModule(builder.Configuration, testPaymentsAllowed: services =>
    DemoMode.AllowsTestPayments(services.GetRequiredService<IConfiguration>(), services.GetRequiredService<IHostEnvironment>()));
builder.Services.AddGatewayModule(builder.Configuration);
builder.Services.AddDocsModule(builder.Configuration);

builder.Services.AddLlmTrJobs(builder.Configuration);
builder.Services.AddLlmTrWeb();
builder.Services.AddHostedService<StartupBanner>();
builder.Services.AddOptions<HttpsOptions>().Bind(builder.Configuration.GetSection(HttpsOptions.Section));

var app = builder.Build();

if (command is not null)
{
    // Disposing the host stops the local cluster again if this command had to start it.
    await using (app)
    {
        return await command.RunAsync(app.Services, Console.Out, Console.Error);
    }
}

// Settings the site cannot run without (every option validated on start: the hash secret, the database in Production,
// the payment provider, ...) are checked before anything starts; a missing one ends the process with one line. Hosted
// inside another program (the tests' in-process host), the host's own start reports them to that program instead.
if (Assembly.GetEntryAssembly() == typeof(Program).Assembly && RequiredSettings.Problem(app.Services) is { } problem)
{
    await Console.Error.WriteLineAsync(problem);
    return ManagementCommand.Failed;
}

var redirectToHttps = app.Services.GetRequiredService<IOptions<HttpsOptions>>().Value.RedirectToHttps;

// Routing first (every request needs its endpoint), then the API branches off before anything of the site's runs
// (see ApiBranch); everything below it is the site's pipeline.
app.UseRouting();
app.UseApiBranch(hsts: !app.Environment.IsDevelopment(), redirectToHttps);

if (!app.Environment.IsDevelopment())
{
    app.UseExceptionHandler("/error", createScopeForErrors: true);
    app.UseHsts(); // sent on HTTPS answers only; see SECURITY.md for running behind a TLS proxy
}

if (redirectToHttps)
{
    app.UseHttpsRedirection();
}

app.UseLlmTrSecurityHeaders();
app.UseGatewayAnswers(); // an API call that left out /v1 is told so in the API's error format

// Pages get the product's "not found" page; JSON APIs keep their own bodies (and methods such as DELETE).
app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
app.Use((context, next) =>
{
    if (context.Request.Path.StartsWithSegments("/api"))
    {
        context.Features.Get<Microsoft.AspNetCore.Diagnostics.IStatusCodePagesFeature>()?.Enabled = false;
    }

    return next(context);
});
app.UseRequestLocalization(); // the site and /api negotiate a language; the API branch speaks English
app.UseLlmTrSignInRateLimit();
app.UseAuthentication();
app.UseAuthorization();
app.UseAntiforgery();

app.MapStaticAssets();
app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready") });
app.MapJobsDashboard();
app.MapCatalogEndpoints();
app.MapKeysEndpoints();
app.MapBillingEndpoints();
app.MapGatewayEndpoints();
app.MapDocsEndpoints();
app.MapLlmTrWeb();

await app.RunAsync();
return ManagementCommand.Ok;

/// <summary>The entry point, visible to the test host.</summary>
public partial class Program;
