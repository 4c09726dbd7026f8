using MudBlazor;

namespace LlmTr.Web.Theming;

/// <summary>The product's one theme; the dark palette keeps the same hues, lightened for contrast on dark surfaces.</summary>
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
        },
        PaletteDark = new PaletteDark
        {
            Primary = "#ff7a8a",
            Secondary = "#8cb8e6",
            AppbarBackground = "#1c1f24",
            AppbarText = "#f2f2f3",
            Background = "#121417",
            Surface = "#1c1f24",
        },
    };
}
