using System.Globalization;
using System.Net.Http.Headers;

// The bare forwarder: reads the body, forwards it with one pooled HttpClient, copies the answer back as it arrives.
// No authentication, no parsing: what any ASP.NET Core gateway pays before doing anything of its own.
var port = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 18101;
var upstream = new Uri(args.Length > 1 ? args[1] : "http://127.0.0.1:18100");

var builder = WebApplication.CreateSlimBuilder();
builder.Logging.ClearProviders();
builder.WebHost.ConfigureKestrel(k =>
{
    k.AddServerHeader = false;
    k.ListenLocalhost(port);
});

var client = new HttpClient(new SocketsHttpHandler
{
    UseCookies = false,
    AllowAutoRedirect = false,
    PooledConnectionIdleTimeout = TimeSpan.FromMinutes(1),
})
{ BaseAddress = upstream, Timeout = Timeout.InfiniteTimeSpan };

var app = builder.Build();
app.Run(async http =>
{
    using var body = new MemoryStream((int)(http.Request.ContentLength ?? 1024));
    await http.Request.Body.CopyToAsync(body, http.RequestAborted);
    using var request = new HttpRequestMessage(HttpMethod.Post, http.Request.Path.Value)
    {
        Content = new ReadOnlyMemoryContent(body.GetBuffer().AsMemory(0, (int)body.Length))
        {
            Headers = { ContentType = new MediaTypeHeaderValue("application/json") },
        },
    };
    using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, http.RequestAborted);
    http.Response.StatusCode = (int)response.StatusCode;
    http.Response.ContentType = response.Content.Headers.ContentType?.ToString();
    if (response.Content.Headers.ContentLength is { } length)
    {
        http.Response.ContentLength = length;
    }

    await using var answer = await response.Content.ReadAsStreamAsync(http.RequestAborted);
    await answer.CopyToAsync(http.Response.Body, http.RequestAborted);
});
await app.RunAsync();
