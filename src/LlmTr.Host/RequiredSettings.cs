using Microsoft.Extensions.Options;

namespace LlmTr.Host;

/// <summary>
/// Runs the options validations registered with <c>ValidateOnStart</c> before the host starts anything, so a host missing
/// a setting it cannot run without (<c>Keys:HashSecret</c>, <c>ConnectionStrings:Postgres</c> in Production, the payment
/// provider, ...) refuses to start with one line naming it, instead of a stack trace, or of serving 500 pages or free credit.
/// Management commands do not pass through here: each needs only what it touches.
/// </summary>
internal static class RequiredSettings
{
    /// <summary>One line naming every setting that is missing or wrong, or null when the host can start.</summary>
    public static string? Problem(IServiceProvider services)
    {
        try
        {
            services.GetService<IStartupValidator>()?.Validate();
            return null;
        }
        catch (OptionsValidationException e)
        {
            return "LLMTR cannot start: " + string.Join(" ", e.Failures.Select(OneLine));
        }
        catch (AggregateException e) when (e.InnerExceptions.All(inner => inner is OptionsValidationException))
        {
            return "LLMTR cannot start: " + string.Join(" ", e.InnerExceptions.Cast<OptionsValidationException>().SelectMany(inner => inner.Failures).Select(OneLine));
        }
    }

    private static string OneLine(string failure) => failure.ReplaceLineEndings(" ").Trim();
}
