using Microsoft.AspNetCore.Authentication;
using Hangfire;
using LlmTr.Identity.Administration;
using LlmTr.Identity.Audit;
using LlmTr.Identity.Closing;
using LlmTr.Identity.DataProtection;
using LlmTr.Identity.Mail;
using LlmTr.Identity.Organisations;
using LlmTr.Identity.Sessions;
using LlmTr.Persistence;
using LlmTr.SharedKernel;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LlmTr.Identity;

public static class IdentityServiceCollectionExtensions
{
    /// <summary>
    /// Identity with cookie sign-in for the dashboard and the admin console: the identity schema, roles,
    /// lockout after repeated failures, server-side sessions, and a key ring every host shares.
    /// </summary>
    /// <param name="devMailboxAllowed">
    /// Whether this host may keep mail in the dev mailbox when no SMTP server is configured (the host allows it in
    /// Development and the local demo only); null means never, and a host without SMTP then refuses to start.
    /// </param>
    public static IServiceCollection AddLlmTrIdentity(
        this IServiceCollection services, IConfiguration configuration, Func<IServiceProvider, bool>? devMailboxAllowed = null)
    {
        services.AddModuleDbContext<LlmTrIdentityDbContext>(ModuleSchemas.Identity);
        services.TryAddSingleton(TimeProvider.System);

        services.AddAuthorization();
        services.AddAuthentication(IdentityConstants.ApplicationScheme).AddIdentityCookies();
        services.AddOptions<SignInOptions>().Bind(configuration.GetSection(SignInOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddIdentityCore<ApplicationUser>(options =>
            {
                options.User.RequireUniqueEmail = true;
                options.Lockout.AllowedForNewUsers = true;
                options.SignIn.RequireConfirmedAccount = false;
            })
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<LlmTrIdentityDbContext>()
            .AddSignInManager<UniformSignInManager>()
            .AddDefaultTokenProviders();

        services.AddOptions<IdentityOptions>().Configure<IOptions<SignInOptions>>((identity, signIn) =>
        {
            identity.Password.RequiredLength = signIn.Value.PasswordMinimumLength;
            identity.Lockout.MaxFailedAccessAttempts = signIn.Value.MaxFailedAttempts;
            identity.Lockout.DefaultLockoutTimeSpan = signIn.Value.LockoutDuration;
        });

        // The short-lived cookies of a two-factor sign-in follow the session cookie's rules.
        foreach (var scheme in new[] { IdentityConstants.TwoFactorUserIdScheme, IdentityConstants.TwoFactorRememberMeScheme })
        {
            services.Configure<CookieAuthenticationOptions>(scheme, cookie =>
            {
                cookie.Cookie.HttpOnly = true;
                cookie.Cookie.SameSite = SameSiteMode.Lax;
                cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            });
        }

        services.AddSingleton<DatabaseTicketStore>();
        services.AddOptions<CookieAuthenticationOptions>(IdentityConstants.ApplicationScheme)
            .Configure<DatabaseTicketStore>((cookie, store) =>
            {
                cookie.SessionStore = store;
                cookie.LoginPath = "/account/login";
                cookie.LogoutPath = "/account/logout";
                cookie.AccessDeniedPath = "/account/access-denied";
                cookie.ExpireTimeSpan = DatabaseTicketStore.DefaultLifetime;
                cookie.SlidingExpiration = true;
                cookie.Cookie.Name = "llmtr.session";
                cookie.Cookie.HttpOnly = true;
                cookie.Cookie.SameSite = SameSiteMode.Lax;
                cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;

                // The sign-in and sign-out pages redirect by themselves, through the site's rule for return addresses (local
                // only, made ASCII). The handler's own redirect to the raw "ReturnUrl" query value would come first, and
                // one with characters beyond ASCII cannot go into a Location header: every such sign-in answered 500.
                cookie.Events.OnRedirectToReturnUrl = _ => Task.CompletedTask;

                // JSON endpoints under /api answer 401/403 instead of redirecting a script to the sign-in page.
                cookie.Events.OnRedirectToLogin = context => ApiAwareRedirect(context, StatusCodes.Status401Unauthorized);
                cookie.Events.OnRedirectToAccessDenied = context => ApiAwareRedirect(context, StatusCodes.Status403Forbidden);
            });

        services.AddDataProtection().SetApplicationName("llmtr");
        services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(sp =>
            new ConfigureOptions<KeyManagementOptions>(options =>
                options.XmlRepository = new DatabaseXmlRepository(sp.GetRequiredService<IDbContextFactory<LlmTrIdentityDbContext>>())));
        KeyRingProtection.Add(services, configuration);

        services.AddOptions<AccountOptions>().Bind(configuration.GetSection(AccountOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<DataProtectionTokenProviderOptions>().Configure<IOptions<AccountOptions>>(
            (tokens, account) => tokens.TokenLifespan = account.Value.TokenLifetime);
        services.AddSingleton<IEmailConfirmationGate, EmailConfirmationGate>();
        AddMail(services, configuration, devMailboxAllowed);

        services.AddScoped<AccountProvisioning>();
        services.AddSingleton(sp => new UserDirectory(
            sp.GetRequiredService<IDbContextFactory<LlmTrIdentityDbContext>>(), new UpperInvariantLookupNormalizer()));

        services.AddSingleton<IAdminAudit, AdminAuditWriter>();
        services.AddOptions<OrganisationOptions>().Bind(configuration.GetSection(OrganisationOptions.Section));
        services.AddSingleton<IOrganisationAudit, OrganisationAuditWriter>();
        services.AddSingleton<IOrganisations>(sp => new OrganisationService(
            sp.GetRequiredService<IDbContextFactory<LlmTrIdentityDbContext>>(), new UpperInvariantLookupNormalizer(), sp.GetRequiredService<IOrganisationAudit>(),
            sp.GetRequiredService<IMailQueue>(), sp.GetRequiredService<ISiteAddress>(), sp.GetRequiredService<IServiceScopeFactory>(),
            sp.GetRequiredService<IOptions<OrganisationOptions>>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new AdminAuditLog(sp.GetRequiredService<IDbContextFactory<LlmTrIdentityDbContext>>()));
        services.AddSingleton<IEmailChange>(sp => new EmailChange(sp.GetRequiredService<IServiceScopeFactory>()));
        services.AddSingleton<IAccountClosure>(sp => new AccountClosure(
            sp.GetRequiredService<IDbContextFactory<LlmTrIdentityDbContext>>(), new UpperInvariantLookupNormalizer(),
            sp.GetRequiredService<IAdminAudit>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<IUserAdministration>(sp => new UserAdministration(
            sp.GetRequiredService<IServiceScopeFactory>(), sp.GetRequiredService<IDbContextFactory<LlmTrIdentityDbContext>>(), new UpperInvariantLookupNormalizer()));

        services.AddTransient(sp => new PurgeExpiredSessionsJob(
            sp.GetRequiredService<IDbContextFactory<LlmTrIdentityDbContext>>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<PurgeExpiredSessionsJob>>()));
        services.AddOptions<IdentityJobOptions>().Bind(configuration.GetSection(IdentityJobOptions.Section));
        services.AddHostedService<IdentityJobsRegistration>();
        return services;
    }

    /// <summary>
    /// One mail sender: SMTP (MailKit) when <c>Smtp:Host</c> is set, else the dev mailbox where the host allows it. Outside
    /// Development and the local demo both the server and the site's public address are required at start.
    /// </summary>
    private static void AddMail(IServiceCollection services, IConfiguration configuration, Func<IServiceProvider, bool>? devMailboxAllowed)
    {
        services.AddSingleton(sp => new DevMailboxPolicy(devMailboxAllowed?.Invoke(sp) ?? false));
        services.AddOptions<SmtpOptions>()
            .Bind(configuration.GetSection(SmtpOptions.Section))
            .Validate<DevMailboxPolicy>((smtp, policy) => smtp.IsConfigured || policy.Allowed,
                "Smtp:Host is not set: outside Development and the local demo the site needs a mail server for password resets and e-mail confirmation.")
            .Validate(smtp => smtp.Port is > 0 and < 65536, "Smtp:Port must be from 1 to 65535.")
            .Validate(smtp => SmtpOptions.IsMailbox(smtp.From), "Smtp:From must be an e-mail address, optionally with a name (LLMTR <no-reply@example.com>).")
            .ValidateOnStart();
        services.AddOptions<SiteOptions>()
            .Bind(configuration.GetSection(SiteOptions.Section))
            .Validate<DevMailboxPolicy>((site, policy) => string.IsNullOrEmpty(site.PublicBaseUrl) ? policy.Allowed : SiteOptions.IsUsable(site.PublicBaseUrl),
                "Site:PublicBaseUrl must be the site's public http(s) address (https://llmtr.example.com): links in e-mails are made from it. It is required outside Development and the local demo.")
            .ValidateOnStart();
        services.AddSingleton<ISiteAddress, SiteAddress>();
        services.AddSingleton<DevMailbox>();
        services.AddSingleton<IDevMailbox>(sp => sp.GetRequiredService<DevMailbox>());
        services.AddSingleton<IMailSender>(sp =>
            sp.GetRequiredService<IOptions<SmtpOptions>>().Value.IsConfigured ? ActivatorUtilities.CreateInstance<SmtpMailSender>(sp)
            : sp.GetRequiredService<DevMailboxPolicy>().Allowed ? new DevMailboxSender(sp.GetRequiredService<DevMailbox>())
            : new NoMailSender());
        services.AddSingleton<MailQueue>();
        services.AddSingleton<IMailQueue>(sp => sp.GetRequiredService<MailQueue>());
        services.AddHostedService(sp => sp.GetRequiredService<MailQueue>());
    }

    private static Task ApiAwareRedirect(RedirectContext<CookieAuthenticationOptions> context, int apiStatus)
    {
        if (context.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase))
        {
            context.Response.StatusCode = apiStatus;
        }
        else
        {
            context.Response.Redirect(context.RedirectUri);
        }

        return Task.CompletedTask;
    }
}

/// <summary>When the identity module's recurring jobs run (cron, UTC).</summary>
public sealed class IdentityJobOptions
{
    public const string Section = "Jobs:Identity";

    public string PurgeExpiredSessionsCron { get; set; } = "17 3 * * *";
}

/// <summary>Declares the module's recurring jobs at start; Hangfire keeps one definition however many hosts declare it.</summary>
internal sealed class IdentityJobsRegistration(IRecurringJobManager jobs, IOptions<IdentityJobOptions> options) : IHostedService
{
    /// <remarks>
    /// Hangfire's storage calls are synchronous: they run on a pool thread, never on the thread that completed the
    /// previous start step's I/O (with inline socket completions that thread is the socket engine's own, and blocking
    /// it waits on itself).
    /// </remarks>
    public Task StartAsync(CancellationToken cancellationToken) => Task.Run(
        () => jobs.AddOrUpdate<PurgeExpiredSessionsJob>(
            PurgeExpiredSessionsJob.RecurringJobId,
            job => job.RunAsync(CancellationToken.None),
            options.Value.PurgeExpiredSessionsCron,
            new RecurringJobOptions { TimeZone = TimeZoneInfo.Utc }),
        cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
