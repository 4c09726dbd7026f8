using MudBlazor;

namespace LlmTr.Web.Theming;

/// <summary>The product's one theme; the dark palette keeps the same hues, lightened for contrast on dark surfaces.</summary>
/// <remarks>
/// MudBlazor's default status colours and secondary text fall short of WCAG AA contrast (4.5:1) for text on them or
/// in them (badges, chips, alerts, field labels): these are darker in light mode and lighter in dark mode, each at
/// least 4.5:1 against the surface and the background. In dark mode the filled buttons' text is the dark background
/// colour, not white: white on the lightened primary and secondary would be about 2.5:1.
/// </remarks>
internal static class LlmTrTheme
{
    public static MudTheme Instance { get; } = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#b3152b",
            Secondary = "#1f4e79",
            AppbarBackground = "#b3152b",
            AppbarText = "#ffffff",
            Background = "#f7f7f8",
            Surface = "#ffffff",
            TextSecondary = "#5f6368",
            Success = "#2e7d32",
            Info = "#1565c0",
            Warning = "#a84300",
            Error = "#c62828",
        },
        PaletteDark = new PaletteDark
        {
            Primary = "#ff7a8a",
            PrimaryContrastText = "#121417",
            Secondary = "#8cb8e6",
            SecondaryContrastText = "#121417",
            AppbarBackground = "#1c1f24",
            AppbarText = "#f2f2f3",
            Background = "#121417",
            Surface = "#1c1f24",
            TextSecondary = "#a8abb0",
            Success = "#81c784",
            SuccessContrastText = "#121417",
            Info = "#64b5f6",
            InfoContrastText = "#121417",
            Warning = "#ffb74d",
            WarningContrastText = "#121417",
            Error = "#ef9a9a",
            ErrorContrastText = "#121417",
        },
    };
}
