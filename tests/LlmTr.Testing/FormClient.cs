using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;

namespace LlmTr.Testing;

/// <summary>
/// Drives the server-rendered pages the way a browser without JavaScript does: keeps cookies, reads a form's
/// antiforgery token from the page, and posts the form back. Redirects are returned, not followed.
/// </summary>
public sealed partial class FormClient(LlmTrHostFactory host) : IDisposable
{
    private readonly HttpClient _http = host.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    public Task<HttpResponseMessage> GetAsync(string path) => _http.GetAsync(new Uri(path, UriKind.Relative));

    /// <summary>Any request with this browser's session cookie (for the JSON endpoints under /api).</summary>
    public Task<HttpResponseMessage> SendAsync(HttpRequestMessage request) => _http.SendAsync(request);

    /// <summary>Loads <paramref name="page"/>, then posts its form named <paramref name="formName"/> with these fields.</summary>
    public async Task<HttpResponseMessage> SubmitAsync(string page, string formName, IDictionary<string, string> fields)
    {
        var html = await (await GetAsync(page)).Content.ReadAsStringAsync();
        var token = AntiforgeryToken().Match(html);
        if (!token.Success)
        {
            throw new InvalidOperationException($"{page} has no antiforgery token.");
        }

        var form = new Dictionary<string, string>(fields)
        {
            ["_handler"] = formName,
            ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token.Groups[1].Value),
        };
        using var content = new FormUrlEncodedContent(form);
        return await _http.PostAsync(new Uri(page, UriKind.Relative), content);
    }

    /// <summary>
    /// Loads <paramref name="page"/> and posts a form of it that targets another endpoint (<paramref name="action"/>), with
    /// the page's antiforgery token, as the browser does when that form is submitted.
    /// </summary>
    public async Task<HttpResponseMessage> PostFormAsync(string page, string action, IDictionary<string, string> fields)
    {
        var html = await (await GetAsync(page)).Content.ReadAsStringAsync();
        var token = AntiforgeryToken().Match(html);
        if (!token.Success)
        {
            throw new InvalidOperationException($"{page} has no antiforgery token.");
        }

        var form = new Dictionary<string, string>(fields);
        form.TryAdd("__RequestVerificationToken", WebUtility.HtmlDecode(token.Groups[1].Value)); // a test may send a token of its own
        using var content = new FormUrlEncodedContent(form);
        return await _http.PostAsync(new Uri(action, UriKind.Relative), content);
    }

    /// <summary>Signs out through the layout's sign-out form, as the button does.</summary>
    public async Task<HttpResponseMessage> SignOutAsync()
    {
        var html = await (await GetAsync("/dashboard")).Content.ReadAsStringAsync();
        var token = AntiforgeryToken().Match(html);
        using var content = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["returnUrl"] = "/",
            ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token.Groups[1].Value),
        });
        return await _http.PostAsync(new Uri("/account/logout", UriKind.Relative), content);
    }

    /// <summary>Where a redirect points, as a local path whether the header is absolute or not.</summary>
    public static string? LocationOf(HttpResponseMessage response) => response.Headers.Location switch
    {
        null => null,
        { IsAbsoluteUri: true } absolute => absolute.PathAndQuery,
        var relative => relative.OriginalString,
    };

    public void Dispose() => _http.Dispose();

    [GeneratedRegex("name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();
}
