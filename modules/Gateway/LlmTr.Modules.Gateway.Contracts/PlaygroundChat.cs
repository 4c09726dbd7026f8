using System.Security.Cryptography;
using System.Text;

namespace LlmTr.Modules.Gateway.Contracts;

/// <summary>
/// The dashboard's playground: a chat completion for a signed-in user, run through the gateway's own /v1 pipeline
/// (validation, model checks, credit gate, provider call or demo model, usage recording and billing), so a playground
/// answer is checked and billed exactly like an API call, and no raw key ever reaches the browser.
/// </summary>
public interface IPlaygroundChat
{
    /// <summary>
    /// Streams the answer: <see cref="PlaygroundDelta"/> pieces as they arrive, then one <see cref="PlaygroundFinished"/>
    /// or one <see cref="PlaygroundFailed"/>.
    /// </summary>
    /// <param name="accountId">The organisation that pays (and whose policy applies); a personal organisation's id is its user's.</param>
    /// <param name="userId">The member using the playground, whose budget in the organisation it spends.</param>
    IAsyncEnumerable<PlaygroundEvent> StreamAsync(string accountId, string userId, PlaygroundRequest request, CancellationToken cancellationToken = default);
}

public sealed record PlaygroundMessage(string Role, string Content);

/// <param name="Temperature">Null leaves the model's default.</param>
/// <param name="MaxTokens">Null leaves the model's default.</param>
public sealed record PlaygroundRequest(string Model, IReadOnlyList<PlaygroundMessage> Messages, double? Temperature = null, int? MaxTokens = null);

public abstract record PlaygroundEvent;

public sealed record PlaygroundDelta(string Text) : PlaygroundEvent;

/// <param name="RequestId">The request's id in the request log (what an API call gets in <c>x-request-id</c>).</param>
public sealed record PlaygroundFinished(string RequestId, long PromptTokens, long CompletionTokens, decimal Cost, string Currency, string? FinishReason) : PlaygroundEvent;

/// <param name="Status">The HTTP status an API call would have got (200 when the error came after the answer started).</param>
/// <param name="Message">The gateway's error message, as an API call would carry it in <c>error.message</c>.</param>
public sealed record PlaygroundFailed(string RequestId, int Status, string Code, string Message) : PlaygroundEvent;

/// <summary>
/// Playground requests are recorded under a key id of their own per user: no key record, no raw key, nothing that could
/// call /v1; it only tells playground rows apart from API-key rows in the request log and in per-key spend.
/// </summary>
public static class PlaygroundKey
{
    public const string Name = "Playground";

    /// <summary>
    /// A stable id derived from the organisation and the user (a name-based UUID, version 5 layout); in a personal
    /// organisation, from the user alone, as before organisations existed, so its history keeps one key.
    /// </summary>
    public static Guid For(string userId) => For(userId, userId);

    public static Guid For(string accountId, string userId)
    {
        var name = accountId == userId ? "llmtr-playground:" + userId : $"llmtr-playground:{accountId}:{userId}";
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(name));
        var bytes = hash.AsSpan(0, 16).ToArray();
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x50);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes, bigEndian: true);
    }
}
