using ArchUnitNET.Loader;
using LlmTr.Modules.Billing;
using LlmTr.Modules.Catalog;
using LlmTr.Modules.Docs;
using LlmTr.Modules.Gateway;
using LlmTr.Modules.Keys;
using Architecture = ArchUnitNET.Domain.Architecture;
using Assembly = System.Reflection.Assembly;

namespace LlmTr.ArchitectureTests;

/// <summary>The product's assemblies as the rules see them, loaded once.</summary>
internal static class Solution
{
    public static IReadOnlyList<Module> Modules { get; } =
    [
        new("Catalog", typeof(CatalogModule), ContractsOf("Catalog")),
        new("Keys", typeof(KeysModule), ContractsOf("Keys")),
        new("Billing", typeof(BillingModule), ContractsOf("Billing")),
        new("Gateway", typeof(GatewayModule), ContractsOf("Gateway")),
        new("Docs", typeof(DocsModule), ContractsOf("Docs")),
    ];

    public static Assembly SharedKernel { get; } = typeof(SharedKernel.Money).Assembly;

    public static Assembly Persistence { get; } = typeof(Persistence.DatabaseMigrator).Assembly;

    public static Assembly Identity { get; } = typeof(Identity.ApplicationUser).Assembly;

    public static Assembly Web { get; } = typeof(Web.WebModule).Assembly;

    public static Assembly Tests { get; } = typeof(Solution).Assembly;

    public static Architecture Architecture { get; } = new ArchLoader().LoadAssemblies(
        [.. Modules.Select(m => m.Implementation), .. Modules.Select(m => m.Contracts).OfType<Assembly>(), SharedKernel, Persistence, Identity, Web, Tests])
        .Build();

    private static Assembly? ContractsOf(string module) => Assembly.Load($"LlmTr.Modules.{module}.Contracts");

    internal sealed record Module(string Name, System.Type Entry, Assembly? Contracts)
    {
        public Assembly Implementation => Entry.Assembly;

        public override string ToString() => Name;
    }
}
