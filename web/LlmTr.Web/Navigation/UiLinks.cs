namespace LlmTr.Web.Navigation;

/// <summary>The addresses of the preference endpoints, built in one place so the layout and the endpoints agree.</summary>
internal static class UiLinks
{
    public const string ThemePath = "/ui/theme";
    public const string CulturePath = "/ui/culture";

    public static string Theme(string mode, string returnUrl) =>
        $"{ThemePath}?mode={Uri.EscapeDataString(mode)}&returnUrl={Uri.EscapeDataString(returnUrl)}";

    public static string Culture(string culture, string returnUrl) =>
        $"{CulturePath}?culture={Uri.EscapeDataString(culture)}&returnUrl={Uri.EscapeDataString(returnUrl)}";

    public static string Login(string returnUrl) => $"/account/login?returnUrl={Uri.EscapeDataString(returnUrl)}";
}
