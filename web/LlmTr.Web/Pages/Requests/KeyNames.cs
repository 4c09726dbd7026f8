using LlmTr.Modules.Gateway.Contracts;
using LlmTr.Modules.Keys.Contracts;

namespace LlmTr.Web.Pages.Requests;

/// <summary>Names the key of a usage row: one of the user's keys, the playground, or a short id for a key since deleted.</summary>
public sealed class KeyNames(string accountId, IReadOnlyList<ApiKeySummary> keys, string playgroundName)
{
    public Guid PlaygroundKeyId { get; } = PlaygroundKey.For(accountId);

    public IReadOnlyList<ApiKeySummary> Keys => keys;

    public string PlaygroundName => playgroundName;

    public string Of(Guid keyId) =>
        keyId == PlaygroundKeyId ? playgroundName
        : keys.FirstOrDefault(k => k.Id == keyId) is { } key ? $"{key.Name} ({key.Preview})"
        : keyId.ToString()[..8];
}
