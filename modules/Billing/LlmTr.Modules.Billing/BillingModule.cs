using FluentValidation;
using LlmTr.Modules.Billing.Administration;
using LlmTr.Modules.Billing.Api;
using LlmTr.Modules.Billing.Contracts;
using LlmTr.Modules.Billing.Data;
using LlmTr.Modules.Billing.Health;
using LlmTr.Modules.Billing.Jobs;
using LlmTr.Modules.Billing.Ledger;
using LlmTr.Modules.Billing.Payments;
using LlmTr.Modules.Billing.Receipts;
using LlmTr.Modules.Billing.TopUps;
using LlmTr.Modules.Billing.Usage;
using LlmTr.Persistence;
using LlmTr.SharedKernel;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace LlmTr.Modules.Billing;

/// <summary>Prepaid credits: the ledger, top-ups with the platform margin, Stripe, usage pricing and debits.</summary>
public static class BillingModule
{
    /// <param name="testPaymentsAllowed">
    /// Whether this host may offer the built-in test checkout when no payment provider is configured (the host allows it in
    /// Development and the local demo only); null means never. Without either, the host starts only with top-ups turned off.
    /// </param>
    public static IServiceCollection AddBillingModule(
        this IServiceCollection services, IConfiguration configuration, Func<IServiceProvider, bool>? testPaymentsAllowed = null)
    {
        services.AddModuleDbContext<BillingDbContext>(ModuleSchemas.Billing);
        services.AddSingleton(sp => new TestPaymentsPolicy(testPaymentsAllowed?.Invoke(sp) ?? false));
        services.AddOptions<BillingOptions>()
            .Bind(configuration.GetSection(BillingOptions.Section))
            .Configure(options => options.Currency = configuration["Catalog:Currency"] is { Length: > 0 } currency ? currency : "USD")
            .Validate(o => o.MarginRate is >= 0m and < 1m, "Billing:MarginRate must be from 0 to below 1 (0.06 is 6%).")
            .Validate(o => o.MinTopUp > 0m && o.MinTopUp <= o.MaxTopUp, "Billing:MinTopUp must be above zero and at most Billing:MaxTopUp.")
            .Validate(o => o.PendingTopUpLifetime >= TimeSpan.FromMinutes(30) && o.PendingTopUpLifetime <= TimeSpan.FromHours(24),
                "Billing:PendingTopUpLifetime must be from 30 minutes to 24 hours (the range Stripe accepts for a checkout).")
            .Validate(o => o.UsageQueueCapacity >= 1 && o.UsageBatchSize >= 1, "Billing:UsageQueueCapacity and Billing:UsageBatchSize must be at least 1.")
            .Validate(o => o.UsageRetryMaxDelay > TimeSpan.Zero, "Billing:UsageRetryMaxDelay must be above zero.")
            .Validate(o => o.UsageRetentionMonths is >= 1 and <= 1200, "Billing:UsageRetentionMonths must be from 1 to 1200 (months of per-request usage rows kept).")
            .Validate(o => o.UsagePartitionsAhead is >= 1 and <= 24, "Billing:UsagePartitionsAhead must be from 1 to 24 (months).")
            .Validate(o => o.TaxRate is >= 0m and < 1m, "Billing:TaxRate must be from 0 to below 1 (0.20 is 20%).")
            .Validate(o => o.TaxName?.Trim().Length is >= 1 and <= BillingDetailsLimits.TaxName, $"Billing:TaxName must be 1 to {BillingDetailsLimits.TaxName} characters (KDV).")
            .Validate<IOptions<StripeOptions>, TestPaymentsPolicy>(
                (billing, stripe, testPayments) => !billing.TopUpsEnabled || stripe.Value.IsConfigured || testPayments.Allowed,
                "Stripe:SecretKey and Stripe:WebhookSecret are required outside Development and the local demo; set them, or set Billing:TopUpsEnabled=false to run without top-ups.")
            .ValidateOnStart();
        services.AddOptions<SellerOptions>()
            .Bind(configuration.GetSection(SellerOptions.Section))
            .Validate<IOptions<BillingOptions>, TestPaymentsPolicy>(
                (seller, billing, testPayments) => !billing.Value.TopUpsEnabled || testPayments.Allowed || seller.IsComplete,
                "Billing:Seller:LegalName, Billing:Seller:Address, Billing:Seller:TaxOffice and Billing:Seller:TaxNumber are required outside Development and the local demo (they are printed on every receipt); set them, or set Billing:TopUpsEnabled=false to run without top-ups.")
            .Validate(o => (o.LegalName?.Length ?? 0) <= BillingDetailsLimits.Name && (o.Address?.Length ?? 0) <= BillingDetailsLimits.Address
                    && (o.TaxOffice?.Length ?? 0) <= BillingDetailsLimits.TaxOffice && (o.TaxNumber?.Length ?? 0) <= BillingDetailsLimits.TaxId,
                $"Billing:Seller values are at most {BillingDetailsLimits.Name} (LegalName), {BillingDetailsLimits.Address} (Address), {BillingDetailsLimits.TaxOffice} (TaxOffice) and {BillingDetailsLimits.TaxId} (TaxNumber) characters.")
            .ValidateOnStart();
        services.AddOptions<StripeOptions>()
            .Bind(configuration.GetSection(StripeOptions.Section))
            .Validate(o => !o.IsConfigured || !string.IsNullOrWhiteSpace(o.WebhookSecret),
                "Stripe:SecretKey is set but Stripe:WebhookSecret is not: without it no payment could ever be credited.")
            .ValidateOnStart();

        // The ledger and the in-memory credit every host serves the gateway from.
        services.AddSingleton<AccountCredits>();
        services.AddSingleton<ICreditGate>(sp => sp.GetRequiredService<AccountCredits>());
        services.AddHostedService<SharedCreditHeartbeat>();
        services.AddSingleton<IBalanceQuery>(sp => sp.GetRequiredService<AccountCredits>());
        services.AddSingleton<AccountCreditLoader>();
        services.AddHostedService<CreditChangeListener>();
        services.AddSingleton<IBillingAccounts, BillingAccounts>();

        // Usage: priced at once, written in batches.
        services.AddSingleton<UsagePartitions>();
        services.AddHostedService<UsagePartitionsAtStart>(); // before the writer: its first batch finds this month's partition
        services.AddSingleton<UsageWriter>();
        services.AddHostedService(sp => sp.GetRequiredService<UsageWriter>());
        services.AddSingleton<IUsageAdmission>(sp => sp.GetRequiredService<UsageWriter>());
        services.AddSingleton<UsageRecorder>();
        services.AddSingleton<IUsageRecorder>(sp => sp.GetRequiredService<UsageRecorder>());
        services.AddSingleton<IUsagePricing>(sp => sp.GetRequiredService<UsageRecorder>());
        services.AddSingleton<IUsageHistory, UsageHistory>();
        services.AddSingleton<IResidencyReport, ResidencyReportBuilder>();
        services.AddSingleton<IKeySpending, KeySpending>();

        // Top-ups: Stripe when a secret key is configured; otherwise the built-in test checkout where the host allows it
        // and top-ups are on; otherwise none, and no top-up can start (fail closed even if start-up validation was skipped).
        services.AddSingleton<IPaymentProvider>(sp =>
            sp.GetRequiredService<IOptions<StripeOptions>>().Value.IsConfigured ? ActivatorUtilities.CreateInstance<StripePaymentProvider>(sp)
            : sp.GetRequiredService<TestPaymentsPolicy>().Allowed && sp.GetRequiredService<IOptions<BillingOptions>>().Value.TopUpsEnabled ? new TestPaymentProvider()
            : new NoPaymentProvider());
        services.AddSingleton<TopUpSettlement>();
        services.AddSingleton<ITopUps, TopUpService>();
        services.AddSingleton<ITestCheckout, TestCheckout>();
        services.AddSingleton<IPendingTopUps, PendingTopUps>();
        services.AddSingleton<IBillingProfiles, BillingProfiles>();
        services.AddSingleton<StripeWebhook>();

        services.AddSingleton<IValidator<ManualEntry>, ManualEntryValidator>();
        services.AddSingleton<IBillingAdministration, BillingAdministration>();
        services.AddSingleton<IPlatformStatistics, PlatformStatistics>();
        services.AddSingleton<IDeploymentStatistics, DeploymentStatistics>();

        // Recurring jobs, each run once per occurrence across hosts by Hangfire.
        services.AddOptions<BillingJobOptions>().Bind(configuration.GetSection(BillingJobOptions.Section));
        services.AddTransient<ExpireAbandonedTopUpsJob>();
        services.AddTransient<ReconcileTopUpsJob>();
        services.AddTransient<RollUpDailyUsageJob>();
        services.AddTransient<IUsageRollUp>(sp => sp.GetRequiredService<RollUpDailyUsageJob>());
        services.AddTransient<UsagePartitionsJob>();
        services.AddTransient<LowBalanceNoticeJob>();
        services.AddHostedService<BillingJobsRegistration>();
        return services;
    }

    /// <summary>Top-up checkout, the usage CSV export and Stripe's webhook, all under <c>/billing</c>.</summary>
    public static IEndpointRouteBuilder MapBillingEndpoints(this IEndpointRouteBuilder endpoints) => endpoints.MapBillingApi();
}
