using LlmTr.Modules.Keys.Contracts;

namespace LlmTr.UnitTests.Keys;

public sealed class ApiKeyScopeShould
{
    [Theory]
    [InlineData("openai/gpt-4o", "openai/gpt-4o", true)]
    [InlineData("openai/gpt-4o", "openai/gpt-4o-mini", false)]
    [InlineData("openai/*", "openai/gpt-4o-mini", true)]
    [InlineData("openai/*", "openaix/gpt", false)]
    [InlineData("llmtr/gemma-*", "llmtr/gemma-3-27b", true)]
    [InlineData("llmtr/gemma-*", "llmtr/llama-3.3-70b", false)]
    [InlineData("*", "anthropic/claude-sonnet-4.5", true)]
    [InlineData("OpenAI/*", "openai/gpt-4o", false)]
    public void MatchExactIdsAndTrailingStarPatterns(string pattern, string modelId, bool matches) =>
        Assert.Equal(matches, ApiKeyScope.Matches(pattern, modelId));

    [Theory]
    [InlineData("openai/gpt-4o", null)]
    [InlineData("openai/*", null)]
    [InlineData("*", null)]
    [InlineData("", "A model pattern must have 1 to 200 characters.")]
    [InlineData("gpt-4o", "'gpt-4o' is not a model id: ids look like 'provider/model' (or use a pattern such as 'openai/*').")]
    [InlineData("*/gpt-4o", "'*/gpt-4o': '*' may only end a pattern, as in 'openai/*'.")]
    [InlineData("openai/gpt 4o", "'openai/gpt 4o' contains a space; separate patterns with commas or new lines.")]
    public void ExplainWhatIsWrongWithAPattern(string pattern, string? problem) =>
        Assert.Equal(problem, ApiKeyScope.PatternProblem(pattern));

    [Fact]
    public void NameTheAllowListBeforeTheResidencyRule()
    {
        var scope = new ApiKeyScope(["llmtr/*"], TurkeyOnly: true);

        Assert.Contains("its allowed models are 'llmtr/*'", scope.Denial("openai/gpt-4o", hostedInTurkey: false, retainsNothing: false), StringComparison.Ordinal);
        Assert.Contains("'Turkey only'", scope.Denial("llmtr/abroad", hostedInTurkey: false, retainsNothing: false), StringComparison.Ordinal);
        Assert.Null(scope.Denial("llmtr/demo", hostedInTurkey: true, retainsNothing: true));
        Assert.Null(ApiKeyScope.Unrestricted.Denial("anthropic/claude-sonnet-4.5", hostedInTurkey: false, retainsNothing: false));
    }

    [Fact]
    public void RefuseAModelThatKeepsContentWhenTheKeyDemandsNoRetention()
    {
        var scope = new ApiKeyScope([], TurkeyOnly: false, NoRetention: true);

        Assert.False(scope.IsUnrestricted);
        Assert.Contains("retention 'none'", scope.Denial("openai/gpt-4o", hostedInTurkey: false, retainsNothing: false), StringComparison.Ordinal);
        Assert.Null(scope.Denial("llmtr/demo", hostedInTurkey: true, retainsNothing: true));
        Assert.Null(scope.Denial("openai/zero-retention", hostedInTurkey: false, retainsNothing: true));
    }
}
