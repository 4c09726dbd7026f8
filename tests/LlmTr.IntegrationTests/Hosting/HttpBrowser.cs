using System.Net;
using System.Text.RegularExpressions;

namespace LlmTr.IntegrationTests.Hosting;

/// <summary>
/// A browser without JavaScript against a host served over real HTTP (its own process, <see cref="LlmTr.Testing.HostServer"/>,
/// or Kestrel in process): keeps cookies, reads a page's antiforgery token and posts forms with it; redirects are returned,
/// not followed. Unlike the in-memory test server, Kestrel checks what the host writes into headers.
/// </summary>
internal sealed partial class HttpBrowser(Uri baseAddress) : IDisposable
{
    private readonly HttpClient _http = new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = new CookieContainer() })
    {
        BaseAddress = baseAddress,
    };

    public Task<HttpResponseMessage> GetAsync(string path) => _http.GetAsync(new Uri(path, UriKind.Relative));

    /// <summary>Loads <paramref name="page"/> for its antiforgery token, then posts <paramref name="fields"/> to <paramref name="action"/>.</summary>
    public async Task<HttpResponseMessage> PostAsync(string page, string action, IDictionary<string, string> fields)
    {
        var html = await (await GetAsync(page)).Content.ReadAsStringAsync();
        var token = AntiforgeryToken().Match(html);
        if (!token.Success)
        {
            throw new InvalidOperationException($"{page} has no antiforgery token.");
        }

        using var content = new FormUrlEncodedContent(new Dictionary<string, string>(fields)
        {
            ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token.Groups[1].Value),
        });
        return await _http.PostAsync(new Uri(action, UriKind.Relative), content);
    }

    public async Task SignInAsync(string email, string password)
    {
        var signedIn = await PostAsync("/account/login", "/account/login", new Dictionary<string, string>
        {
            ["_handler"] = "login",
            ["Input.Email"] = email,
            ["Input.Password"] = password,
        });
        if (signedIn.StatusCode != HttpStatusCode.Redirect)
        {
            throw new InvalidOperationException($"Signing in answered {signedIn.StatusCode}.");
        }
    }

    public void Dispose() => _http.Dispose();

    [GeneratedRegex("name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();
}
