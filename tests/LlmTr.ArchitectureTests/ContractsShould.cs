using ArchUnitNET.xUnit;
using static ArchUnitNET.Fluent.ArchRuleDefinition;

namespace LlmTr.ArchitectureTests;

public sealed class ContractsShould
{
    public static TheoryData<string> ModulesWithContracts => [.. Solution.Modules.Where(m => m.Contracts is not null).Select(m => m.Name)];

    [Theory]
    [MemberData(nameof(ModulesWithContracts))]
    public void StayFreeOfEfCoreAndAspNetCore(string name)
    {
        var contracts = Solution.Modules.Single(m => m.Name == name).Contracts!;
        Rules.StayFreeOfEfCoreAndAspNetCore(Types().That().ResideInAssembly(contracts)).Check(Solution.Architecture);
    }

    [Theory]
    [MemberData(nameof(ModulesWithContracts))]
    public void ReferenceNothingButTheSharedKernel(string name)
    {
        var contracts = Solution.Modules.Single(m => m.Name == name).Contracts!;
        Assert.All(ModuleTypesShould.ProductReferencesOf(contracts), r => Assert.Equal("LlmTr.SharedKernel", r));
        Assert.DoesNotContain(contracts.GetReferencedAssemblies(), r => r.Name!.StartsWith("Microsoft.EntityFrameworkCore", StringComparison.Ordinal));
    }
}
