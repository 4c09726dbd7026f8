using LlmTr.Modules.Keys.Contracts;

namespace LlmTr.Modules.Keys.Issuing;

/// <summary>What is wrong with a key request, per field (the form shows each message under its field).</summary>
internal static class NewApiKeyValidation
{
    public const decimal MaxSpendLimit = 1_000_000m;

    public static Dictionary<string, string[]> Problems(NewApiKey request, DateTimeOffset now)
    {
        var errors = new Dictionary<string, string[]>();
        var name = request.Name?.Trim() ?? "";
        if (name.Length is 0 or > 100)
        {
            errors[nameof(NewApiKey.Name)] = ["Give the key a name of 1 to 100 characters."];
        }

        if (request.ExpiresAt is { } expires && expires <= now)
        {
            errors[nameof(NewApiKey.ExpiresAt)] = ["The expiry must be in the future."];
        }

        if (request.RequestsPerMinute is < 1 or > 100_000)
        {
            errors[nameof(NewApiKey.RequestsPerMinute)] = ["The limit must be between 1 and 100,000 requests per minute."];
        }

        var patterns = request.AllowedModels ?? [];
        var patternProblems = patterns.Select(ApiKeyScope.PatternProblem).OfType<string>().ToList();
        if (patterns.Count > ApiKeyScope.MaxPatterns)
        {
            patternProblems.Insert(0, $"At most {ApiKeyScope.MaxPatterns} model patterns.");
        }

        if (patternProblems.Count > 0)
        {
            errors[nameof(NewApiKey.AllowedModels)] = [.. patternProblems];
        }

        CheckLimit(errors, nameof(NewApiKey.SpendLimit), request.SpendLimit);
        CheckLimit(errors, nameof(NewApiKey.MonthlySpendLimit), request.MonthlySpendLimit);
        if (request is { SpendLimit: { } total, MonthlySpendLimit: { } monthly } && monthly > total && !errors.ContainsKey(nameof(NewApiKey.MonthlySpendLimit)))
        {
            errors[nameof(NewApiKey.MonthlySpendLimit)] = ["The monthly limit cannot be above the total limit."];
        }

        return errors;
    }

    /// <summary>The patterns as stored: trimmed, without duplicates, in the order given.</summary>
    public static List<string> Normalize(IReadOnlyList<string>? patterns) =>
        (patterns ?? []).Select(p => p.Trim()).Where(p => p.Length > 0).Distinct(StringComparer.Ordinal).ToList();

    /// <summary>What is wrong with a policy, per field.</summary>
    public static Dictionary<string, string[]> Problems(OrganisationPolicy policy)
    {
        var errors = new Dictionary<string, string[]>();
        if (policy.MaxRequestsPerMinute is < 1 or > OrganisationPolicy.MaxRequestsPerMinuteCeiling)
        {
            errors[nameof(OrganisationPolicy.MaxRequestsPerMinute)] = ["The ceiling must be between 1 and 100,000 requests per minute."];
        }

        var patternProblems = policy.AllowedModels.Select(ApiKeyScope.PatternProblem).OfType<string>().ToList();
        if (policy.AllowedModels.Count > ApiKeyScope.MaxPatterns)
        {
            patternProblems.Insert(0, $"At most {ApiKeyScope.MaxPatterns} model patterns.");
        }

        if (patternProblems.Count > 0)
        {
            errors[nameof(OrganisationPolicy.AllowedModels)] = [.. patternProblems];
        }

        return errors;
    }

    /// <summary>What is wrong with a member budget, per field.</summary>
    public static Dictionary<string, string[]> Problems(MemberBudget budget)
    {
        var errors = new Dictionary<string, string[]>();
        CheckLimit(errors, nameof(MemberBudget.SpendLimit), budget.SpendLimit);
        CheckLimit(errors, nameof(MemberBudget.MonthlySpendLimit), budget.MonthlySpendLimit);
        if (budget is { SpendLimit: { } total, MonthlySpendLimit: { } monthly } && monthly > total && !errors.ContainsKey(nameof(MemberBudget.MonthlySpendLimit)))
        {
            errors[nameof(MemberBudget.MonthlySpendLimit)] = ["The monthly budget cannot be above the total budget."];
        }

        return errors;
    }

    private static void CheckLimit(Dictionary<string, string[]> errors, string field, decimal? limit)
    {
        if (limit is { } value && (value <= 0 || value > MaxSpendLimit || decimal.Round(value, 2) != value))
        {
            errors[field] = [$"A spend limit must be a positive amount of credits up to {MaxSpendLimit:N0}, with at most two decimals."];
        }
    }
}
