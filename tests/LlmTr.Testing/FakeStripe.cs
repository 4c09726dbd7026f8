using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace LlmTr.Testing;

/// <summary>
/// A small stand-in for Stripe's API on a local port: it speaks the Checkout Session wire format (form-encoded
/// requests, JSON answers), refuses requests Stripe would refuse, and records every request so tests can check what
/// the product sent. It also builds and signs webhook events the way Stripe does.
/// </summary>
public sealed class FakeStripe : IAsyncDisposable
{
    public const string SecretKey = "sk_test_llmtr_fake_0123456789";
    public const string WebhookSecret = "whsec_llmtr_fake_webhook_secret_0123456789";

    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, JsonObject> _sessions = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _sessionByIdempotencyKey = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<StripeRequest> _requests = new();

    private FakeStripe(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public IReadOnlyCollection<StripeRequest> Requests => _requests;

    /// <summary>When set, session creation answers 500 (Stripe having a bad moment).</summary>
    public bool Failing { get; set; }

    /// <summary>The settings that point a host at this fake.</summary>
    public Dictionary<string, string?> Settings => new()
    {
        ["Stripe:ApiBase"] = BaseAddress.ToString().TrimEnd('/'),
        ["Stripe:SecretKey"] = SecretKey,
        ["Stripe:WebhookSecret"] = WebhookSecret,
    };

    public static async Task<FakeStripe> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        var port = FreePort.Next();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var fake = new FakeStripe(app, new Uri($"http://127.0.0.1:{port}/"));
        app.MapPost("/v1/checkout/sessions", fake.CreateSessionAsync);
        app.MapGet("/v1/checkout/sessions/{id}", fake.GetSession);
        app.MapPost("/v1/checkout/sessions/{id}/expire", fake.ExpireSession);
        await app.StartAsync();
        return fake;
    }

    public JsonObject Session(string id) => _sessions[id];

    /// <summary>Marks a session paid, as Stripe does when the buyer pays.</summary>
    public void Pay(string sessionId, string paymentIntent = "pi_fake_paid")
    {
        var session = _sessions[sessionId];
        session["status"] = "complete";
        session["payment_status"] = "paid";
        session["payment_intent"] = paymentIntent;
    }

    /// <summary>A webhook event about the session as it is now, with <paramref name="change"/> applied to the session copy inside it.</summary>
    public string Event(string type, string sessionId, string? eventId = null, Action<JsonObject>? change = null)
    {
        var session = (JsonObject)_sessions[sessionId].DeepClone();
        change?.Invoke(session);
        var stripeEvent = new JsonObject
        {
            ["id"] = eventId ?? $"evt_{Guid.NewGuid():N}",
            ["object"] = "event",
            ["api_version"] = Stripe.StripeConfiguration.ApiVersion,
            ["created"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            ["livemode"] = false,
            ["pending_webhooks"] = 1,
            ["request"] = new JsonObject { ["id"] = null, ["idempotency_key"] = null },
            ["type"] = type,
            ["data"] = new JsonObject { ["object"] = session },
        };
        return stripeEvent.ToJsonString();
    }

    /// <summary>A <c>Stripe-Signature</c> header value: <c>t=</c> the time, <c>v1=</c> HMAC-SHA256 of "time.payload" under the secret.</summary>
    public static string Sign(string payload, DateTimeOffset at, string secret = WebhookSecret)
    {
        var timestamp = at.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{timestamp}.{payload}"));
        return $"t={timestamp},v1={Convert.ToHexStringLower(mac)}";
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task<IResult> CreateSessionAsync(HttpRequest request)
    {
        var form = request.HasFormContentType ? await request.ReadFormAsync() : null;
        var fields = form?.ToDictionary(f => f.Key, f => f.Value.ToString(), StringComparer.Ordinal) ?? [];
        var idempotencyKey = request.Headers["Idempotency-Key"].ToString();
        _requests.Enqueue(new StripeRequest(request.Method, request.Path, fields, idempotencyKey, request.Headers.Authorization.ToString()));

        if (request.Headers.Authorization.ToString() != $"Bearer {SecretKey}")
        {
            return Error(401, "invalid_request_error", "Invalid API Key provided.");
        }

        if (form is null)
        {
            return Error(400, "invalid_request_error", "Requests must be form-encoded.");
        }

        if (Failing)
        {
            return Error(500, "api_error", "Something went wrong on Stripe's end.");
        }

        if (idempotencyKey.Length > 0 && _sessionByIdempotencyKey.TryGetValue(idempotencyKey, out var existing))
        {
            return Json(_sessions[existing]);
        }

        if (Missing(fields, "mode", "success_url", "line_items[0][quantity]", "line_items[0][price_data][currency]", "line_items[0][price_data][unit_amount]") is { } missing)
        {
            return Error(400, "invalid_request_error", $"Missing required param: {missing}.", missing);
        }

        var amountTotal = 0L;
        string? currency = null;
        for (var i = 0; fields.ContainsKey($"line_items[{i}][price_data][unit_amount]"); i++)
        {
            if (!long.TryParse(fields[$"line_items[{i}][price_data][unit_amount]"], NumberStyles.None, CultureInfo.InvariantCulture, out var unitAmount)
                || !long.TryParse(fields.GetValueOrDefault($"line_items[{i}][quantity]"), NumberStyles.None, CultureInfo.InvariantCulture, out var quantity))
            {
                return Error(400, "invalid_request_error", "Invalid integer.", $"line_items[{i}][price_data][unit_amount]");
            }

            var itemCurrency = fields.GetValueOrDefault($"line_items[{i}][price_data][currency]");
            if (currency is not null && itemCurrency != currency)
            {
                return Error(400, "invalid_request_error", "All line items must share one currency.");
            }

            currency = itemCurrency;
            amountTotal += unitAmount * quantity;
        }

        var id = $"cs_test_{Guid.NewGuid():N}";
        var metadata = new JsonObject();
        foreach (var (key, value) in fields.Where(f => f.Key.StartsWith("metadata[", StringComparison.Ordinal)))
        {
            metadata[key["metadata[".Length..^1]] = value;
        }

        var created = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var session = new JsonObject
        {
            ["id"] = id,
            ["object"] = "checkout.session",
            ["amount_subtotal"] = amountTotal,
            ["amount_total"] = amountTotal,
            ["cancel_url"] = fields.GetValueOrDefault("cancel_url"),
            ["client_reference_id"] = fields.GetValueOrDefault("client_reference_id"),
            ["created"] = created,
            ["currency"] = currency,
            ["customer"] = null,
            ["expires_at"] = long.TryParse(fields.GetValueOrDefault("expires_at"), CultureInfo.InvariantCulture, out var expires) ? expires : created + 86_400,
            ["livemode"] = false,
            ["metadata"] = metadata,
            ["mode"] = fields["mode"],
            ["payment_intent"] = null,
            ["payment_method_types"] = new JsonArray("card"),
            ["payment_status"] = "unpaid",
            ["status"] = "open",
            ["success_url"] = fields["success_url"],
            ["url"] = $"https://checkout.stripe.com/c/pay/{id}",
        };
        _sessions[id] = session;
        if (idempotencyKey.Length > 0)
        {
            _sessionByIdempotencyKey[idempotencyKey] = id;
        }

        return Json(session);
    }

    private IResult GetSession(string id, HttpRequest request)
    {
        _requests.Enqueue(new StripeRequest(request.Method, request.Path, new Dictionary<string, string>(), null, request.Headers.Authorization.ToString()));
        return _sessions.TryGetValue(id, out var session)
            ? Json(session)
            : Error(404, "invalid_request_error", $"No such checkout.session: '{id}'", "id");
    }

    /// <summary>As Stripe: only an open session can be expired; a complete or expired one is a 400 and stays as it is.</summary>
    private IResult ExpireSession(string id, HttpRequest request)
    {
        _requests.Enqueue(new StripeRequest(request.Method, request.Path, new Dictionary<string, string>(), request.Headers["Idempotency-Key"].ToString(), request.Headers.Authorization.ToString()));
        if (request.Headers.Authorization.ToString() != $"Bearer {SecretKey}")
        {
            return Error(401, "invalid_request_error", "Invalid API Key provided.");
        }

        if (Failing)
        {
            return Error(500, "api_error", "Something went wrong on Stripe's end.");
        }

        if (!_sessions.TryGetValue(id, out var session))
        {
            return Error(404, "invalid_request_error", $"No such checkout.session: '{id}'", "id");
        }

        if ((string?)session["status"] != "open")
        {
            return Error(400, "invalid_request_error", $"Only Checkout Sessions with a status in [\"open\"] can be expired. This Checkout Session has a status of \"{(string?)session["status"]}\".");
        }

        session["status"] = "expired";
        session["url"] = null;
        return Json(session);
    }

    private static string? Missing(Dictionary<string, string> fields, params string[] names) =>
        names.FirstOrDefault(n => string.IsNullOrEmpty(fields.GetValueOrDefault(n)));

    private static IResult Json(JsonObject body) => Results.Text(body.ToJsonString(), "application/json", Encoding.UTF8, 200);

    private static IResult Error(int status, string type, string message, string? param = null) => Results.Text(
        JsonSerializer.Serialize(new { error = new { type, message, param } }), "application/json", Encoding.UTF8, status);
}

/// <summary>One request the fake received: its form fields as sent, and the headers Stripe cares about.</summary>
public sealed record StripeRequest(string Method, string Path, IReadOnlyDictionary<string, string> Form, string? IdempotencyKey, string Authorization);
