namespace LlmTr.Modules.Billing.Usage;

/// <summary>
/// The statements of a usage batch. The rows arrive by binary COPY in a staging table private to the writer's session
/// (emptied at every commit, so a failed batch leaves nothing there); everything else is computed from it in the
/// database, in one round trip.
/// </summary>
internal static class UsageSql
{
    public const string CreateStaging = """
        CREATE TEMPORARY TABLE IF NOT EXISTS usage_staging (
          "RequestId" varchar(128) NOT NULL,
          "AccountId" varchar(450) NOT NULL,
          "KeyId" uuid NOT NULL,
          "SpendKeyId" uuid NOT NULL,
          "MemberSpendId" uuid,
          "ModelId" varchar(200) NOT NULL,
          "StartedAt" timestamptz NOT NULL,
          "LatencyMs" integer NOT NULL,
          "Outcome" varchar(16) NOT NULL,
          "HttpStatus" integer NOT NULL,
          "PromptTokens" bigint NOT NULL,
          "CompletionTokens" bigint NOT NULL,
          "CachedPromptTokens" bigint NOT NULL,
          "ReasoningTokens" bigint NOT NULL,
          "Images" integer NOT NULL,
          "AudioMinutes" numeric(18,6) NOT NULL,
          "Cost" numeric(28,14) NOT NULL,
          "ProcessedIn" text[] NOT NULL,
          "Streamed" boolean NOT NULL,
          "RecordedAt" timestamptz NOT NULL,
          "Month" date NOT NULL,
          "ErrorCode" varchar(64),
          "ErrorMessage" varchar(300),
          "CacheWrite5mTokens" bigint NOT NULL,
          "CacheWrite1hTokens" bigint NOT NULL,
          "AudioPromptTokens" bigint NOT NULL,
          "AudioCompletionTokens" bigint NOT NULL,
          "ImagePromptTokens" bigint NOT NULL,
          "ImageCompletionTokens" bigint NOT NULL,
          "ImageVariant" varchar(40),
          "WebSearches" integer NOT NULL,
          "ToolCalls" integer NOT NULL,
          "Deployment" varchar(40),
          "UpstreamLatencyMs" integer
        ) ON COMMIT DELETE ROWS
        """;

    public const string CopyStaging = """
        COPY pg_temp.usage_staging ("RequestId", "AccountId", "KeyId", "SpendKeyId", "ModelId", "StartedAt", "LatencyMs", "Outcome",
          "HttpStatus", "PromptTokens", "CompletionTokens", "CachedPromptTokens", "ReasoningTokens", "Images", "AudioMinutes", "Cost",
          "ProcessedIn", "Streamed", "RecordedAt", "Month", "ErrorCode", "ErrorMessage", "CacheWrite5mTokens", "CacheWrite1hTokens",
          "AudioPromptTokens", "AudioCompletionTokens", "ImagePromptTokens", "ImageCompletionTokens", "ImageVariant", "WebSearches",
          "ToolCalls", "Deployment", "UpstreamLatencyMs", "MemberSpendId") FROM STDIN (FORMAT BINARY)
        """;

    /// <summary>
    /// Moves the staged rows into the usage table; what it already had (a retried batch) leaves staging, unbilled. The
    /// table is partitioned by month of <c>StartedAt</c>, so its key is the request id with <c>StartedAt</c>: every report
    /// of one request (a retried batch, or the same request recorded by two hosts) carries the start time its exchange
    /// was given once, so the key still catches every repeat.
    /// </summary>
    public const string MoveStaged = """
        WITH written AS (
          INSERT INTO billing.usage_records ("RequestId", "AccountId", "KeyId", "ModelId", "StartedAt", "LatencyMs", "Outcome",
            "HttpStatus", "PromptTokens", "CompletionTokens", "CachedPromptTokens", "ReasoningTokens", "Images", "AudioMinutes",
            "Cost", "Currency", "ProcessedIn", "Streamed", "RecordedAt", "ErrorCode", "ErrorMessage", "CacheWrite5mTokens",
            "CacheWrite1hTokens", "AudioPromptTokens", "AudioCompletionTokens", "ImagePromptTokens", "ImageCompletionTokens",
            "ImageVariant", "WebSearches", "ToolCalls", "Deployment", "UpstreamLatencyMs")
          SELECT "RequestId", "AccountId", "KeyId", "ModelId", "StartedAt", "LatencyMs", "Outcome",
            "HttpStatus", "PromptTokens", "CompletionTokens", "CachedPromptTokens", "ReasoningTokens", "Images", "AudioMinutes",
            "Cost", @currency, "ProcessedIn", "Streamed", "RecordedAt", "ErrorCode", "ErrorMessage", "CacheWrite5mTokens",
            "CacheWrite1hTokens", "AudioPromptTokens", "AudioCompletionTokens", "ImagePromptTokens", "ImageCompletionTokens",
            "ImageVariant", "WebSearches", "ToolCalls", "Deployment", "UpstreamLatencyMs"
          FROM pg_temp.usage_staging
          ON CONFLICT ("RequestId", "StartedAt") DO NOTHING
          RETURNING "RequestId", "StartedAt")
        DELETE FROM pg_temp.usage_staging s
        WHERE NOT EXISTS (SELECT FROM written w WHERE w."RequestId" = s."RequestId" AND w."StartedAt" = s."StartedAt")
        """;

    /// <summary>One usage debit per account for what was written (none for an account whose new rows cost nothing).</summary>
    public const string PostLedgerDebits = """
        INSERT INTO billing.ledger_entries ("AccountId", "At", "Kind", "Amount", "Currency", "RequestCount")
        SELECT "AccountId", @at, 'UsageDebit', -sum("Cost"), @currency, count(*)::integer
        FROM pg_temp.usage_staging
        GROUP BY "AccountId"
        HAVING sum("Cost") <> 0
        ORDER BY "AccountId" COLLATE "C"
        """;

    /// <summary>
    /// Per key, and per member of an organisation (both counted by id, in one order on every host): the total, and the
    /// amount of the latest month written.
    /// </summary>
    public const string AddKeySpend = """
        INSERT INTO billing.key_spend ("KeyId", "AccountId", "Total", "Month", "MonthAmount")
        SELECT "SpendKeyId", "AccountId", sum("Cost"), max("Latest"), coalesce(sum("Cost") FILTER (WHERE "Month" = "Latest"), 0)
        FROM (SELECT "SpendKeyId", "AccountId", "Cost", "Month", max("Month") OVER (PARTITION BY "SpendKeyId", "AccountId") AS "Latest"
              FROM (SELECT "SpendKeyId", "AccountId", "Cost", "Month" FROM pg_temp.usage_staging
                    UNION ALL
                    SELECT "MemberSpendId", "AccountId", "Cost", "Month" FROM pg_temp.usage_staging WHERE "MemberSpendId" IS NOT NULL) AS spenders) AS s
        GROUP BY "SpendKeyId", "AccountId"
        ORDER BY "SpendKeyId"
        ON CONFLICT ("KeyId") DO UPDATE SET
          "Total" = key_spend."Total" + excluded."Total",
          "MonthAmount" = CASE WHEN excluded."Month" = key_spend."Month" THEN key_spend."MonthAmount" + excluded."MonthAmount"
                               WHEN excluded."Month" > key_spend."Month" THEN excluded."MonthAmount"
                               ELSE key_spend."MonthAmount" END,
          "Month" = GREATEST(key_spend."Month", excluded."Month")
        """;

    /// <summary>
    /// Every account of the batch (in the order given), even one whose rows were all written before: its version moves,
    /// so the state returned is one this host can take as exact. Returns what the in-memory credit needs.
    /// </summary>
    public const string DebitAccounts = """
        INSERT INTO billing.accounts ("AccountId", "Balance", "Currency", "Version", "UpdatedAt")
        SELECT t.a, -coalesce(w.d, 0), @currency, 1, @at
        FROM unnest(@accounts) WITH ORDINALITY AS t(a, i)
        LEFT JOIN (SELECT "AccountId", sum("Cost") AS d FROM pg_temp.usage_staging GROUP BY "AccountId") AS w ON w."AccountId" = t.a
        ORDER BY t.i
        ON CONFLICT ("AccountId") DO UPDATE SET
          "Balance" = accounts."Balance" + excluded."Balance",
          "Version" = accounts."Version" + 1,
          "UpdatedAt" = excluded."UpdatedAt"
        RETURNING "AccountId", "Balance", "Version"
        """;

    public const int DebitAccountsColumns = 3;

    /// <summary>
    /// The spend of every key of the batch's accounts. A statement of its own, after the accounts are locked: its
    /// snapshot holds every change committed before (each moves its account's version under that lock) and none after.
    /// </summary>
    public const string ReadKeySpend = """
        SELECT "AccountId", "KeyId", "Total", "Month", "MonthAmount" FROM billing.key_spend WHERE "AccountId" = ANY(@accounts)
        """;

    public const int ReadKeySpendColumns = 5;

    /// <summary>
    /// The notice every host reloads changed accounts from: <c>account:version</c> pairs, split into payloads of under
    /// 7,500 bytes (PostgreSQL takes under 8,000).
    /// </summary>
    public const string Notify = """
        SELECT pg_notify(@channel, string_agg(pair, ',' ORDER BY a COLLATE "C"))
        FROM (SELECT "AccountId" AS a, "AccountId" || ':' || "Version" AS pair,
                     sum(octet_length("AccountId") + 21) OVER (ORDER BY "AccountId" COLLATE "C") / 7000 AS part
              FROM billing.accounts WHERE "AccountId" = ANY(@accounts)) AS p
        GROUP BY part
        """;
}
