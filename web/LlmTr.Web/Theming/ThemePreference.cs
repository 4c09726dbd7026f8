using System.Diagnostics.CodeAnalysis;

namespace LlmTr.Web.Theming;

/// <summary>The visitor's light/dark choice, kept in a cookie so that static pages render in it without script.</summary>
internal static class ThemePreference
{
    public const string CookieName = "llmtr.theme";
    public const string Light = "light";
    public const string Dark = "dark";

    /// <summary>Name of the cascading value that carries the choice from App.razor into the layout.</summary>
    public const string CascadingName = "IsDarkMode";

    public static bool IsDark(string? cookieValue) => string.Equals(cookieValue, Dark, StringComparison.OrdinalIgnoreCase);

    public static bool IsKnown([NotNullWhen(true)] string? mode) =>
        string.Equals(mode, Light, StringComparison.OrdinalIgnoreCase) || string.Equals(mode, Dark, StringComparison.OrdinalIgnoreCase);
}
