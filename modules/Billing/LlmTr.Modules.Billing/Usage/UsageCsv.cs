using System.Globalization;
using System.Text;
using LlmTr.Modules.Billing.Contracts;

namespace LlmTr.Modules.Billing.Usage;

/// <summary>
/// Usage rows as RFC 4180 CSV, one line per request, numbers in invariant culture. Hand-written (a few lines) rather
/// than a package: every value is ours, and only the text fields need quoting. A text cell that a spreadsheet would
/// run as a formula is prefixed with an apostrophe. Columns added later go at the end, so existing readers keep working.
/// </summary>
internal static class UsageCsv
{
    public const string Header =
        "request_id,started_at,key_id,model,outcome,http_status,prompt_tokens,completion_tokens,cached_prompt_tokens,reasoning_tokens,images,audio_minutes,cost,currency,latency_ms,processed_in,streamed,key_name,error_code,error_message,cache_write_5m_tokens,cache_write_1h_tokens,audio_prompt_tokens,audio_completion_tokens,image_prompt_tokens,image_completion_tokens,image_variant,web_searches,tool_calls";

    /// <param name="keyNames">The account's key names by id (the playground's included); a key not there (deleted) has an empty name.</param>
    public static async Task WriteAsync(IAsyncEnumerable<UsageRow> rows, IReadOnlyDictionary<Guid, string> keyNames, Stream output, CancellationToken cancellationToken)
    {
        await using var writer = new StreamWriter(output, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), leaveOpen: true) { NewLine = "\r\n" };
        await writer.WriteLineAsync(Header);
        await foreach (var row in rows.WithCancellation(cancellationToken))
        {
            await writer.WriteLineAsync(Line(row, keyNames.GetValueOrDefault(row.KeyId)));
        }
    }

    public static string Line(UsageRow row, string? keyName) => string.Join(',',
        Text(row.RequestId),
        row.StartedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
        row.KeyId.ToString(),
        Text(row.ModelId),
        row.Outcome.ToString(),
        Number(row.HttpStatus),
        Number(row.PromptTokens),
        Number(row.CompletionTokens),
        Number(row.CachedPromptTokens),
        Number(row.ReasoningTokens),
        Number(row.Images),
        Number(row.AudioMinutes / 1.000000000000000000000000000m),
        Number(row.Cost / 1.000000000000000000000000000m),
        row.Currency,
        Number(row.LatencyMs),
        Text(string.Join(' ', row.ProcessedIn)),
        row.Streamed ? "true" : "false",
        Text(keyName ?? ""),
        Text(row.ErrorCode ?? ""),
        Text(row.ErrorMessage ?? ""),
        Number(row.CacheWrite5mTokens),
        Number(row.CacheWrite1hTokens),
        Number(row.AudioPromptTokens),
        Number(row.AudioCompletionTokens),
        Number(row.ImagePromptTokens),
        Number(row.ImageCompletionTokens),
        Text(row.ImageVariant ?? ""),
        Number(row.WebSearches),
        Number(row.ToolCalls));

    private static string Number(IFormattable value) => value.ToString(null, CultureInfo.InvariantCulture);

    private static string Text(string value)
    {
        if (value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
        {
            value = "'" + value;
        }

        return value.IndexOfAny([',', '"', '\r', '\n']) < 0 ? value : "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }
}
