using LlmTr.Modules.Catalog;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

// Types that break the rules on purpose, so that the rules are shown to catch what they are meant to catch.
namespace LlmTr.ArchitectureTests.Violations;

public static class PretendModule
{
    public static IServiceCollection AddPretendModule(this IServiceCollection services) => services;
}

public sealed class PublicImplementationDetail;

public sealed record ContractExposingEfCore(DbContext Context);

public sealed record ContractExposingAspNetCore(Microsoft.AspNetCore.Http.HttpContext Context);

internal static class ReachesIntoAnotherModule
{
    public static IServiceCollection Wire(IServiceCollection services, IConfiguration configuration) =>
        services.AddCatalogModule(configuration);
}

internal sealed class PageWithADbContext(DbContext context)
{
    public DbContext Context { get; } = context;
}
