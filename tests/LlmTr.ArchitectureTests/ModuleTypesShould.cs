using System.Reflection;
using ArchUnitNET.xUnit;
using static ArchUnitNET.Fluent.ArchRuleDefinition;

namespace LlmTr.ArchitectureTests;

public sealed class ModuleTypesShould
{
    public static TheoryData<string> ModuleNames => [.. Solution.Modules.Select(m => m.Name)];

    [Theory]
    [MemberData(nameof(ModuleNames))]
    public void BeInternalExceptTheModuleEntry(string name)
    {
        var module = Solution.Modules.Single(m => m.Name == name);
        Rules.OnlyTheEntryIsPublic(Types().That().ResideInAssembly(module.Implementation), module.Entry).Check(Solution.Architecture);
    }

    [Theory]
    [MemberData(nameof(ModuleNames))]
    public void NotReachIntoAnotherModulesImplementation(string name)
    {
        var module = Solution.Modules.Single(m => m.Name == name);
        var others = Solution.Modules.Where(m => m != module).Select(m => m.Implementation).ToArray();
        Rules.DoNotReachIntoOtherModules(Types().That().ResideInAssembly(module.Implementation), others).Check(Solution.Architecture);
    }

    [Theory]
    [MemberData(nameof(ModuleNames))]
    public void ReferenceOnlyTheKernelPersistenceIdentityAndContracts(string name)
    {
        var module = Solution.Modules.Single(m => m.Name == name);
        var allowed = new[] { Solution.SharedKernel, Solution.Persistence, Solution.Identity }.Select(a => a.GetName().Name);
        var disallowed = ProductReferencesOf(module.Implementation)
            .Where(r => !allowed.Contains(r) && !r.EndsWith(".Contracts", StringComparison.Ordinal));
        Assert.Empty(disallowed);
    }

    internal static IEnumerable<string> ProductReferencesOf(Assembly assembly) =>
        assembly.GetReferencedAssemblies().Select(r => r.Name!).Where(n => n.StartsWith("LlmTr.", StringComparison.Ordinal));
}
