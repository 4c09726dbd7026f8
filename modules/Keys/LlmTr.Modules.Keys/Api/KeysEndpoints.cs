using LlmTr.Identity.Organisations;
using LlmTr.Modules.Keys.Contracts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace LlmTr.Modules.Keys.Api;

/// <summary>
/// The keys of the organisation a signed-in user acts in, over HTTP (the dashboard's session). A key id that is not the caller's answers 404,
/// exactly like one that does not exist, so ids reveal nothing about other users.
/// </summary>
internal static class KeysEndpoints
{
    public static IEndpointRouteBuilder MapKeyEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var keys = endpoints.MapGroup("/api/keys").WithTags("API keys").RequireAuthorization();
        keys.MapGet("/", List).WithName("ListApiKeys").WithSummary("The signed-in user's keys (never the raw keys)");
        keys.MapGet("/{id:guid}", Find).WithName("GetApiKey").WithSummary("One of the signed-in user's keys");
        keys.MapDelete("/{id:guid}", Revoke).WithName("RevokeApiKey").WithSummary("Revokes one of the signed-in user's keys on every host");
        return endpoints;
    }

    internal static async Task<Ok<ApiKeyView[]>> List(HttpContext http, IApiKeys keys, IOrganisations organisations, TimeProvider time, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var list = await keys.ListAsync(await HolderAsync(http, organisations), cancellationToken);
        return TypedResults.Ok(list.Select(k => ApiKeyView.From(k, now)).ToArray());
    }

    internal static async Task<Results<Ok<ApiKeyView>, NotFound>> Find(
        Guid id, HttpContext http, IApiKeys keys, IOrganisations organisations, TimeProvider time, CancellationToken cancellationToken) =>
        await keys.FindAsync(await HolderAsync(http, organisations), id, cancellationToken) is { } key
            ? TypedResults.Ok(ApiKeyView.From(key, time.GetUtcNow()))
            : TypedResults.NotFound();

    internal static async Task<Results<NoContent, NotFound>> Revoke(Guid id, HttpContext http, IApiKeys keys, IOrganisations organisations, CancellationToken cancellationToken) =>
        await keys.RevokeAsync(await HolderAsync(http, organisations), id, cancellationToken) ? TypedResults.NoContent() : TypedResults.NotFound();

    /// <summary>
    /// The caller's keys in the organisation they act in (their chosen one, else their personal one): all of its keys for
    /// its owners and admins, their own for other members.
    /// </summary>
    private static async Task<KeyHolder> HolderAsync(HttpContext http, IOrganisations organisations)
    {
        var membership = await organisations.CurrentAsync(http) ?? throw new InvalidOperationException("An authorized user has a personal organisation.");
        return new KeyHolder(membership.OrganisationId, membership.UserId, membership.Can(OrganisationPermission.ManageKeys));
    }
}

internal sealed record ApiKeyView(
    Guid Id,
    string Name,
    string Preview,
    string State,
    DateTimeOffset CreatedAt,
    DateTimeOffset? ExpiresAt,
    DateTimeOffset? RevokedAt,
    DateTimeOffset? LastUsedAt,
    int? RequestsPerMinute,
    IReadOnlyList<string> AllowedModels,
    bool TurkeyOnly,
    bool NoRetention,
    decimal? SpendLimit,
    decimal? MonthlySpendLimit)
{
    public static ApiKeyView From(ApiKeySummary key, DateTimeOffset now) => new(
        key.Id, key.Name, key.Preview, key.StateAt(now) switch
        {
            ApiKeyState.Revoked => "revoked",
            ApiKeyState.Expired => "expired",
            _ => "active",
        },
        key.CreatedAt, key.ExpiresAt, key.RevokedAt, key.LastUsedAt, key.RequestsPerMinute,
        key.Scope.AllowedModels, key.Scope.TurkeyOnly, key.Scope.NoRetention, key.SpendLimit, key.MonthlySpendLimit);
}
