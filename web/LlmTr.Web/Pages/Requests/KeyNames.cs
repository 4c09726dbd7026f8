using LlmTr.Identity.Organisations;
using LlmTr.Modules.Gateway.Contracts;
using LlmTr.Modules.Keys.Contracts;

namespace LlmTr.Web.Pages.Requests;

/// <summary>
/// Names the key of a usage row: one of the organisation's keys, the playground (the viewer's, or another member's, named
/// by their e-mail), or a short id for a key it no longer knows.
/// </summary>
/// <param name="members">The organisation's members by user id (their e-mails), to name their playground use; null in a personal organisation.</param>
public sealed class KeyNames(string accountId, IReadOnlyList<ApiKeySummary> keys, string playgroundName, string? userId = null, IReadOnlyDictionary<string, string>? members = null)
{
    private readonly Dictionary<Guid, string> _playgrounds = (members ?? new Dictionary<string, string>())
        .Where(m => m.Key != (userId ?? accountId))
        .ToDictionary(m => PlaygroundKey.For(accountId, m.Key), m => $"{playgroundName} ({m.Value})");

    public Guid PlaygroundKeyId { get; } = PlaygroundKey.For(accountId, userId ?? accountId);

    public IReadOnlyList<ApiKeySummary> Keys => keys;

    public string PlaygroundName => playgroundName;

    public string Of(Guid keyId) =>
        keyId == PlaygroundKeyId ? playgroundName
        : _playgrounds.TryGetValue(keyId, out var playground) ? playground
        : keys.FirstOrDefault(k => k.Id == keyId) is { } key ? $"{key.Name} ({key.Preview})"
        : keyId.ToString()[..8];

    /// <summary>The names of every key of the organisation the viewer acts in, and of its members' playground use.</summary>
    public static async Task<KeyNames> ForAsync(Membership membership, IApiKeys keys, IOrganisations organisations, string playgroundName)
    {
        var all = await keys.ListAsync(KeyHolder.Reader(membership.OrganisationId));
        var members = membership.Organisation.Personal
            ? null
            : (await organisations.MembersAsync(membership.OrganisationId)).ToDictionary(m => m.UserId, m => m.Email, StringComparer.Ordinal);
        return new KeyNames(membership.OrganisationId, all, playgroundName, membership.UserId, members);
    }
}
