using FluentValidation;
using LlmTr.Modules.Catalog.Administration;
using LlmTr.Modules.Catalog.Api;
using LlmTr.Modules.Catalog.Contracts;
using LlmTr.Modules.Catalog.Credentials;
using LlmTr.Modules.Catalog.Data;
using LlmTr.Modules.Catalog.Seed;
using LlmTr.Modules.Catalog.Snapshot;
using LlmTr.Persistence;
using LlmTr.SharedKernel;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace LlmTr.Modules.Catalog;

/// <summary>Providers, models, prices and data paths: the source of truth for what can be called, what it costs and where data goes.</summary>
public static class CatalogModule
{
    public static IServiceCollection AddCatalogModule(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddModuleDbContext<CatalogDbContext>(ModuleSchemas.Catalog);
        services.AddOptions<CatalogOptions>().Bind(configuration.GetSection(CatalogOptions.Section));

        services.AddSingleton<CatalogSnapshotLoader>();
        services.AddSingleton<CatalogSnapshotStore>();
        services.AddSingleton<IModelCatalog>(sp => sp.GetRequiredService<CatalogSnapshotStore>());
        services.AddHostedService<CatalogChangeListener>();

        services.AddSingleton<IValidator<ProviderInput>, ProviderInputValidator>();
        services.AddSingleton<IValidator<ModelInput>, ModelInputValidator>();
        services.AddSingleton<IValidator<PriceInput>, PriceInputValidator>();
        services.AddSingleton<ICatalogAdministration, CatalogAdministration>();
        services.AddSingleton<IValidator<DeploymentInput>, DeploymentInputValidator>();
        services.AddSingleton<IValidator<AccountInput>, AccountInputValidator>();
        services.AddSingleton<IDeploymentAdministration, DeploymentAdministration>();
        services.AddSingleton<CredentialProtection>();
        services.AddSingleton<ProviderCredentialStore>();
        services.AddSingleton<IProviderCredentials>(sp => sp.GetRequiredService<ProviderCredentialStore>());
        services.AddSingleton<IDemoData, SeedCatalog>();
        return services;
    }

    public static IEndpointRouteBuilder MapCatalogEndpoints(this IEndpointRouteBuilder endpoints) => endpoints.MapModelEndpoints();
}
