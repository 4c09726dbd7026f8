using ArchUnitNET.Fluent.Syntax.Elements.Types;
using LlmTr.ArchitectureTests.Violations;
using static ArchUnitNET.Fluent.ArchRuleDefinition;

namespace LlmTr.ArchitectureTests;

/// <summary>Each rule, pointed at a deliberate violation, must report it: a rule that cannot fail proves nothing.</summary>
public sealed class RulesShould
{
    private static GivenTypesConjunction Violation(params Type[] types) =>
        Types().That().ResideInAssembly(Solution.Tests).And().Are(types);

    [Fact]
    public void CatchAPublicTypeInsideAModule() =>
        Assert.False(Rules.OnlyTheEntryIsPublic(Violation(typeof(PretendModule), typeof(PublicImplementationDetail)), typeof(PretendModule))
            .HasNoViolations(Solution.Architecture));

    [Fact]
    public void AcceptAModuleWhoseOnlyPublicTypeIsItsEntry() =>
        Assert.True(Rules.OnlyTheEntryIsPublic(Violation(typeof(PretendModule)), typeof(PretendModule)).HasNoViolations(Solution.Architecture));

    [Fact]
    public void CatchAModuleCallingIntoAnotherModulesImplementation() =>
        Assert.False(Rules.DoNotReachIntoOtherModules(Violation(typeof(ReachesIntoAnotherModule)), Solution.Modules[0].Implementation)
            .HasNoViolations(Solution.Architecture));

    [Fact]
    public void CatchEfCoreInAContract() =>
        Assert.False(Rules.StayFreeOfEfCoreAndAspNetCore(Violation(typeof(ContractExposingEfCore))).HasNoViolations(Solution.Architecture));

    [Fact]
    public void CatchAspNetCoreInAContract() =>
        Assert.False(Rules.StayFreeOfEfCoreAndAspNetCore(Violation(typeof(ContractExposingAspNetCore))).HasNoViolations(Solution.Architecture));

    [Fact]
    public void CatchAPageHoldingADbContext() =>
        Assert.False(Rules.SeeOnlyContracts(Violation(typeof(PageWithADbContext)), Solution.Persistence).HasNoViolations(Solution.Architecture));
}
