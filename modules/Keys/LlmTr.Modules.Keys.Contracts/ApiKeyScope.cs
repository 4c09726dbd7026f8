namespace LlmTr.Modules.Keys.Contracts;

/// <summary>
/// Which models a key may call: an allow-list of exact model ids or prefix patterns (<c>openai/*</c>,
/// <c>llmtr/gemma-*</c>; an empty list allows every model), and optionally only models whose whole data path stays in
/// Turkey. Checked per request from memory.
/// </summary>
public sealed record ApiKeyScope(IReadOnlyList<string> AllowedModels, bool TurkeyOnly)
{
    public const int MaxPatterns = 50;
    public const int MaxPatternLength = 200;

    public static ApiKeyScope Unrestricted { get; } = new([], false);

    public bool IsUnrestricted => AllowedModels.Count == 0 && !TurkeyOnly;

    /// <summary>Null when the key may call the model; otherwise the message of a 403 <c>forbidden</c>, naming the rule.</summary>
    public string? Denial(string modelId, bool hostedInTurkey)
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

        return null;
    }

    public bool Permits(string modelId, bool hostedInTurkey) => Denial(modelId, hostedInTurkey) is null;

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
