using ArchUnitNET.xUnit;
using static ArchUnitNET.Fluent.ArchRuleDefinition;

namespace LlmTr.ArchitectureTests;

public sealed class WebShould
{
    [Fact]
    public void SeeModulesOnlyThroughTheirContracts()
    {
        var forbidden = Solution.Modules.Select(m => m.Implementation).Append(Solution.Persistence).ToArray();
        Rules.SeeOnlyContracts(Types().That().ResideInAssembly(Solution.Web), forbidden).Check(Solution.Architecture);
    }

    [Fact]
    public void ReferenceOnlyContractsTheKernelAndIdentity()
    {
        var disallowed = ModuleTypesShould.ProductReferencesOf(Solution.Web)
            .Where(r => r is not ("LlmTr.SharedKernel" or "LlmTr.Identity") && !r.EndsWith(".Contracts", StringComparison.Ordinal));
        Assert.Empty(disallowed);
    }
}

public sealed class SharedKernelShould
{
    [Fact]
    public void DependOnNoOtherProductAssembly() => Assert.Empty(ModuleTypesShould.ProductReferencesOf(Solution.SharedKernel));
}
