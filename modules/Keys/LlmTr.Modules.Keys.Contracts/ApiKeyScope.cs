namespace LlmTr.Modules.Keys.Contracts;

/// <summary>
/// Which models a key may call: an allow-list of exact model ids or prefix patterns (<c>openai/*</c>,
/// <c>llmtr/gemma-*</c>; an empty list allows every model), and optionally only models whose whole data path stays in
/// Turkey, and optionally only models whose data path keeps nothing of the content (the key's default for
/// <c>retention: none</c>). Checked per request from memory.
/// </summary>
public sealed record ApiKeyScope(IReadOnlyList<string> AllowedModels, bool TurkeyOnly, bool NoRetention = false)
{
    public const int MaxPatterns = 50;
    public const int MaxPatternLength = 200;

    public static ApiKeyScope Unrestricted { get; } = new([], false);

    public bool IsUnrestricted => AllowedModels.Count == 0 && !TurkeyOnly && !NoRetention;

    /// <summary>Null when the key may call the model; otherwise the message of a 403 <c>forbidden</c>, naming the rule.</summary>
    /// <param name="hostedInTurkey">Every hop of the model's data path is in Turkey.</param>
    /// <param name="retainsNothing">No hop of the model's data path keeps the request's content.</param>
    public string? Denial(string modelId, bool hostedInTurkey, bool retainsNothing)
    {
        if (AllowedModels.Count > 0 && !AllowedModels.Any(pattern => Matches(pattern, modelId)))
        {
            return $"This API key may not call '{modelId}': its allowed models are {string.Join(", ", AllowedModels.Select(p => $"'{p}'"))}. "
                + "Change the key's allowed models in the dashboard, or use another key.";
        }

        if (TurkeyOnly && !hostedInTurkey)
        {
            return $"This API key is restricted to data residency 'Turkey only', and '{modelId}' processes data outside Turkey. "
                + "Use a model hosted in Turkey (GET /api/models?hosted_in=TR), or another key.";
        }

        if (NoRetention && !retainsNothing)
        {
            return $"This API key is restricted to retention 'none', and a stop on the data path of '{modelId}' keeps request content. "
                + "See the model's data path (GET /api/models/{id}) for what each stop keeps, use a model that keeps nothing, or another key.";
        }

        return null;
    }

    /// <summary>An exact id, or a prefix followed by one trailing <c>*</c>.</summary>
    public static bool Matches(string pattern, string modelId) =>
        pattern.EndsWith('*')
            ? modelId.StartsWith(pattern.AsSpan(0, pattern.Length - 1), StringComparison.Ordinal)
            : string.Equals(pattern, modelId, StringComparison.Ordinal);

    /// <summary>Why a pattern cannot be used, or null when it can.</summary>
    public static string? PatternProblem(string pattern)
    {
        if (string.IsNullOrWhiteSpace(pattern) || pattern.Length > MaxPatternLength)
        {
            return $"A model pattern must have 1 to {MaxPatternLength} characters.";
        }

        if (pattern.Any(char.IsWhiteSpace))
        {
            return $"'{pattern}' contains a space; separate patterns with commas or new lines.";
        }

        var star = pattern.IndexOf('*', StringComparison.Ordinal);
        if (star >= 0 && star != pattern.Length - 1)
        {
            return $"'{pattern}': '*' may only end a pattern, as in 'openai/*'.";
        }

        if (pattern != "*" && !pattern.Contains('/', StringComparison.Ordinal) && star < 0)
        {
            return $"'{pattern}' is not a model id: ids look like 'provider/model' (or use a pattern such as 'openai/*').";
        }

        return null;
    }
}
