namespace LlmTr.Testing;

/// <summary>
/// The mail settings a Production host cannot start without (an SMTP server and the site's public address). Nothing is
/// sent at start, so the server named here need not exist; tests that send mail use a <see cref="FakeSmtp"/> instead.
/// </summary>
public static class ProductionMail
{
    public const string PublicBaseUrl = "https://llmtr.test";

    /// <summary>As environment variables, for host processes.</summary>
    public static IReadOnlyDictionary<string, string> Environment { get; } = new Dictionary<string, string>
    {
        ["Smtp__Host"] = "127.0.0.1",
        ["Smtp__Port"] = "2525",
        ["Site__PublicBaseUrl"] = PublicBaseUrl,
    };

    /// <summary>As configuration keys, for in-process hosts.</summary>
    public static IReadOnlyDictionary<string, string?> Settings { get; } = Environment.ToDictionary(
        setting => setting.Key.Replace("__", ":", StringComparison.Ordinal), setting => (string?)setting.Value);
}
