using System.Text;

namespace LlmTr.IntegrationTests.Messages.ClaudeCode;

/// <summary>
/// Requests of <c>claude -p</c> (Claude Code 2.1.197, the version <c>tests/clients</c> pins), as they reached a
/// recording fake: <c>POST /v1/messages?beta=true</c> with these headers and a body of this shape. The bodies in this
/// folder keep the captured structure, field order and compact serialization; long texts are shortened and replaced,
/// two of the tools are kept, the ids in <c>metadata.user_id</c> are zeroed and the file path is a neutral one.
/// <list type="bullet">
/// <item><c>first-turn-known-model.json</c>: for a model id Claude Code recognises as a Claude model (it sent
/// <c>anthropic/claude-sonnet-4.5</c> as it was given): thinking with a budget, no system message in the conversation.</item>
/// <item><c>first-turn-other-model.json</c>: for an id it does not recognise (<c>llmtr/demo</c>, <c>openai/gpt-4o</c>):
/// adaptive thinking, <c>output_config.effort</c>, and a <c>{"role": "system"}</c> message inside <c>messages</c>, with
/// the <c>mid-conversation-system</c> beta.</item>
/// <item><c>second-turn-other-model.json</c>: the same, one step later: the fake answered with a <c>Read</c> tool call,
/// and Claude Code sent its result back (an assistant <c>tool_use</c>, then a user <c>tool_result</c> with
/// <c>cache_control</c>).</item>
/// </list>
/// </summary>
internal static class ClaudeCodeRequests
{
    public const string KnownModel = "first-turn-known-model.json";
    public const string OtherModel = "first-turn-other-model.json";
    public const string SecondTurn = "second-turn-other-model.json";
    public const string Path = "/v1/messages?beta=true";
    public const string Version = "2023-06-01";

    public const string KnownModelBeta =
        "claude-code-20250219,interleaved-thinking-2025-05-14,thinking-token-count-2026-05-13,context-management-2025-06-27,prompt-caching-scope-2026-01-05";

    public const string OtherModelBeta = KnownModelBeta + ",mid-conversation-system-2026-04-07,effort-2025-11-24";

    private static readonly Lazy<string> Folder = new(Locate);

    /// <summary>The beta header Claude Code sent with this body.</summary>
    public static string Beta(string file) => file == KnownModel ? KnownModelBeta : OtherModelBeta;

    /// <summary>The captured body with <paramref name="model"/> as the value of its leading <c>model</c> field, nothing else changed.</summary>
    public static string Body(string file, string model)
    {
        var text = File.ReadAllText(System.IO.Path.Combine(Folder.Value, file), Encoding.UTF8);
        const string Prefix = "{\"model\":\"";
        Assert.StartsWith(Prefix, text, StringComparison.Ordinal);
        var end = text.IndexOf('"', Prefix.Length);
        return Prefix + model + text[end..];
    }

    private static string Locate()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            var candidate = System.IO.Path.Combine(folder.FullName, "tests", "LlmTr.IntegrationTests", "Messages", "ClaudeCode");
            if (File.Exists(System.IO.Path.Combine(candidate, KnownModel)))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException("No tests/LlmTr.IntegrationTests/Messages/ClaudeCode folder above " + AppContext.BaseDirectory + ".");
    }
}
