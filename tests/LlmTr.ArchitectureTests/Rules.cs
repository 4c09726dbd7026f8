using System.Text.RegularExpressions;
using ArchUnitNET.Domain;
using Assembly = System.Reflection.Assembly;
using ArchUnitNET.Fluent;
using ArchUnitNET.Fluent.Syntax.Elements.Types;
using static ArchUnitNET.Fluent.ArchRuleDefinition;

namespace LlmTr.ArchitectureTests;

/// <summary>
/// The module rules of the architecture guide, each a function of the types it judges, so the same rule runs on the
/// product and on deliberate violations kept in this project. A module with no types yet satisfies them trivially.
/// </summary>
internal static class Rules
{
    private const string FrameworkPersistenceOrWeb = @"^Microsoft\.(EntityFrameworkCore|AspNetCore)(\..*)?$";
    private const string EfCore = @"^Microsoft\.EntityFrameworkCore(\..*)?$";

    /// <summary>Everything in a module but its entry class stays internal.</summary>
    public static IArchRule OnlyTheEntryIsPublic(GivenTypesConjunction moduleTypes, Type entry) =>
        moduleTypes.And().AreNot(entry).Should().NotBePublic()
            .Because("a module exposes only its Add…Module/Map…Endpoints entry; callers use its Contracts")
            .WithoutRequiringPositiveResults();

    /// <summary>A module reaches another module through that module's Contracts only.</summary>
    public static IArchRule DoNotReachIntoOtherModules(GivenTypesConjunction moduleTypes, params Assembly[] otherImplementations) =>
        moduleTypes.Should().NotDependOnAny(Types().That().ResideInAssembly(otherImplementations[0], otherImplementations[1..]))
            .Because("cross-module calls go through Contracts interfaces")
            .WithoutRequiringPositiveResults();

    /// <summary>Contracts carry no EF Core and no ASP.NET Core types.</summary>
    public static IArchRule StayFreeOfEfCoreAndAspNetCore(GivenTypesConjunction contractTypes) =>
        contractTypes.Should().FollowCustomCondition(
                type => !DependsOnNamespace(type, FrameworkPersistenceOrWeb),
                "depend on no EF Core or ASP.NET Core type",
                "depends on EF Core or ASP.NET Core")
            .Because("Contracts are plain interfaces and records any caller can use")
            .WithoutRequiringPositiveResults();

    /// <summary>Pages never see a DbContext or a module's implementation.</summary>
    public static IArchRule SeeOnlyContracts(GivenTypesConjunction webTypes, params Assembly[] forbidden) =>
        webTypes.Should().NotDependOnAny(Types().That().ResideInAssembly(forbidden[0], forbidden[1..]))
            .AndShould().FollowCustomCondition(
                type => !DependsOnNamespace(type, EfCore),
                "depend on no EF Core type",
                "depends on EF Core")
            .Because("pages call module services through their Contracts, never DbContexts")
            .WithoutRequiringPositiveResults();

    /// <summary>Judged on each dependency's own namespace, so framework types count without loading the framework.</summary>
    private static bool DependsOnNamespace(IType type, string pattern) =>
        type.Dependencies.Any(d => Regex.IsMatch(d.Target.Namespace.FullName, pattern));
}
