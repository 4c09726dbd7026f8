using FluentValidation;
using LlmTr.Modules.Billing.Administration;
using LlmTr.Modules.Billing.Contracts;
using LlmTr.Modules.Billing.Data;
using LlmTr.Modules.Billing.Ledger;
using LlmTr.Modules.Billing.Usage;
using LlmTr.Persistence;
using LlmTr.SharedKernel;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace LlmTr.Modules.Billing;

/// <summary>Prepaid credits: the ledger, top-ups with the platform margin, Stripe, usage pricing and debits.</summary>
public static class BillingModule
{
    public static IServiceCollection AddBillingModule(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddModuleDbContext<BillingDbContext>(ModuleSchemas.Billing);
        services.AddOptions<BillingOptions>()
            .Bind(configuration.GetSection(BillingOptions.Section))
            .Configure(options => options.Currency = configuration["Catalog:Currency"] is { Length: > 0 } currency ? currency : "USD");

        services.AddSingleton<AccountCredits>();
        services.AddSingleton<ICreditGate>(sp => sp.GetRequiredService<AccountCredits>());
        services.AddSingleton<IBalanceQuery>(sp => sp.GetRequiredService<AccountCredits>());
        services.AddSingleton<AccountCreditLoader>();
        services.AddHostedService<CreditChangeListener>();

        services.AddSingleton<UsageWriter>();
        services.AddHostedService(sp => sp.GetRequiredService<UsageWriter>());
        services.AddSingleton<IUsageRecorder, UsageRecorder>();

        services.AddSingleton<IValidator<ManualEntry>, ManualEntryValidator>();
        services.AddSingleton<IBillingAdministration, BillingAdministration>();
        return services;
    }
}
