using System.Net;
using System.Text;
using LlmTr.Modules.Billing.Contracts;
using LlmTr.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace LlmTr.IntegrationTests.Billing;

/// <summary>Top-ups against a local fake Stripe that checks what it receives; webhooks signed here as Stripe signs them.</summary>
public sealed class StripeTopUpsShould(StripeFixture fixture) : IClassFixture<StripeFixture>
{
    private static readonly Uri Site = new("https://llmtr.test/");
    private readonly FakeStripe _stripe = fixture.Stripe;
    private readonly LlmTrHostFactory _host = fixture.Host;

    private ITopUps TopUps => _host.Services.GetRequiredService<ITopUps>();

    [Fact]
    public async Task OpenACheckoutSessionForTheTotalWithTheTopUpInItsMetadataAndAnIdempotencyKey()
    {
        var account = await TestAccounts.CreateUserAsync(_host);

        var started = await TopUps.StartAsync(account, 10m, Site);

        Assert.True(started.Succeeded);
        var request = Assert.Single(_stripe.Requests, r => r.Form.GetValueOrDefault("client_reference_id") == started.TopUpId.ToString());
        Assert.Equal(("POST", "/v1/checkout/sessions"), (request.Method, request.Path));
        Assert.Equal($"Bearer {FakeStripe.SecretKey}", request.Authorization);
        Assert.Equal($"llmtr-top-up-{started.TopUpId}", request.IdempotencyKey);
        Assert.Equal("payment", request.Form["mode"]);
        Assert.Equal(started.TopUpId.ToString(), request.Form["metadata[top_up_id]"]);
        Assert.Equal(("1000", "usd", "1"), (request.Form["line_items[0][price_data][unit_amount]"], request.Form["line_items[0][price_data][currency]"], request.Form["line_items[0][quantity]"]));
        Assert.Equal("60", request.Form["line_items[1][price_data][unit_amount]"]);
        Assert.Equal($"https://llmtr.test/dashboard/billing?topUp={started.TopUpId}", request.Form["success_url"]);
        var sessionId = (string)_stripe.Session(SessionIdOf(started))["id"]!;
        Assert.Equal($"https://checkout.stripe.com/c/pay/{sessionId}", started.CheckoutUrl!.ToString());
        Assert.Equal(1060, (long)_stripe.Session(sessionId)["amount_total"]!);
        var topUp = (await TopUps.FindAsync(account, started.TopUpId!.Value))!;
        Assert.Equal((TopUpStatus.Pending, 10m, 0.06m, 0.60m, 10.60m, "stripe"), (topUp.Status, topUp.Credit, topUp.MarginRate, topUp.Margin, topUp.Total, topUp.Provider));
    }

    [Fact]
    public async Task CreditTheCreditOnlyOnceWhenTheSignedCompletedEventArrivesAndIsReplayed()
    {
        var (account, topUpId, sessionId) = await StartedTopUpAsync(25m);
        _stripe.Pay(sessionId, "pi_paid_once");
        var completed = _stripe.Event("checkout.session.completed", sessionId);

        Assert.Equal(HttpStatusCode.OK, (await PostWebhookAsync(completed, FakeStripe.Sign(completed, DateTimeOffset.UtcNow))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await PostWebhookAsync(completed, FakeStripe.Sign(completed, DateTimeOffset.UtcNow))).StatusCode);
        var redelivered = _stripe.Event("checkout.session.completed", sessionId); // the same news under another event id
        Assert.Equal(HttpStatusCode.OK, (await PostWebhookAsync(redelivered, FakeStripe.Sign(redelivered, DateTimeOffset.UtcNow))).StatusCode);

        var topUp = (await TopUps.FindAsync(account, topUpId))!;
        Assert.Equal((TopUpStatus.Completed, "pi_paid_once"), (topUp.Status, topUp.PaymentReference));
        Assert.Equal(25m, await BillingTesting.LedgerSumAsync(_host.ConnectionString, account));
        Assert.Equal(25m, await BillingTesting.StoredBalanceAsync(_host.ConnectionString, account));
        Assert.Equal(1, await Sql.CountAsync(_host.ConnectionString, """SELECT count(*) FROM billing.ledger_entries WHERE "TopUpId" = @t""", ("t", topUpId)));
        Assert.Equal(1.50m, await BillingTesting.DecimalAsync(_host.ConnectionString, """SELECT sum("Amount") FROM billing.platform_revenue WHERE "TopUpId" = @t""", ("t", topUpId)));
        Assert.Equal(25m, (await _host.Services.GetRequiredService<IBalanceQuery>().GetAsync(account)).Balance);
    }

    // Issue 18, finding 8: Stripe.net refused every event whose api_version differs from the one it pins, so a webhook
    // endpoint on another version (or an account upgraded by Stripe) never credited a paid top-up.
    [Theory]
    [InlineData("2024-06-20")]
    [InlineData("2025-03-31.basil")]
    public async Task CreditASignedEventOfAnotherApiVersionWhosePayloadItCanRead(string apiVersion)
    {
        var (account, topUpId, sessionId) = await StartedTopUpAsync(10m);
        _stripe.Pay(sessionId, "pi_other_version");
        var completed = System.Text.Json.Nodes.JsonNode.Parse(_stripe.Event("checkout.session.completed", sessionId))!;
        completed["api_version"] = apiVersion;
        var body = completed.ToJsonString();

        var response = await PostWebhookAsync(body, FakeStripe.Sign(body, DateTimeOffset.UtcNow));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(TopUpStatus.Completed, (await TopUps.FindAsync(account, topUpId))!.Status);
        Assert.Equal(10m, await BillingTesting.LedgerSumAsync(_host.ConnectionString, account));
    }

    // Issue 18, finding 8: the configuration reference names the API version to create the webhook endpoint on, and it
    // is the one the Stripe library really is pinned to (so an upgrade of the library cannot leave the docs behind).
    [Theory]
    [InlineData("en")]
    [InlineData("tr")]
    public async Task DocumentTheApiVersionTheStripeLibraryIsPinnedTo(string language)
    {
        using var client = _host.CreateClient();

        var page = await client.GetStringAsync(new Uri($"/docs/{language}/configuration", UriKind.Relative));

        Assert.Contains(Stripe.StripeConfiguration.ApiVersion, page, StringComparison.Ordinal);
    }

    // Issue 18, finding 8: accepting other versions does not loosen the signature check.
    [Fact]
    public async Task StillRefuseAnEventOfAnotherApiVersionWhoseSignatureDoesNotHold()
    {
        var (account, _, sessionId) = await StartedTopUpAsync(10m);
        _stripe.Pay(sessionId);
        var completed = System.Text.Json.Nodes.JsonNode.Parse(_stripe.Event("checkout.session.completed", sessionId))!;
        completed["api_version"] = "2024-06-20";
        var body = completed.ToJsonString();

        var response = await PostWebhookAsync(body, FakeStripe.Sign(body, DateTimeOffset.UtcNow, "whsec_someone_else"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(0m, await BillingTesting.LedgerSumAsync(_host.ConnectionString, account));
    }

    [Theory]
    [InlineData("wrong secret")]
    [InlineData("stale timestamp")]
    [InlineData("tampered body")]
    [InlineData("no signature")]
    [InlineData("garbage signature")]
    public async Task RefuseAnEventWhoseSignatureDoesNotHoldAndCreditNothing(string fault)
    {
        var (account, topUpId, sessionId) = await StartedTopUpAsync(10m);
        _stripe.Pay(sessionId);
        var body = _stripe.Event("checkout.session.completed", sessionId);
        var (sent, signature) = fault switch
        {
            "wrong secret" => (body, FakeStripe.Sign(body, DateTimeOffset.UtcNow, "whsec_someone_else")),
            "stale timestamp" => (body, FakeStripe.Sign(body, DateTimeOffset.UtcNow.AddMinutes(-6))),
            "tampered body" => (body.Replace("\"amount_total\":1060", "\"amount_total\":106000", StringComparison.Ordinal), FakeStripe.Sign(body, DateTimeOffset.UtcNow)),
            "no signature" => (body, null),
            _ => (body, "t=abc,v1=nothex"),
        };

        var response = await PostWebhookAsync(sent, signature);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(TopUpStatus.Pending, (await TopUps.FindAsync(account, topUpId))!.Status);
        Assert.Equal(0, await Sql.CountAsync(_host.ConnectionString, """SELECT count(*) FROM billing.ledger_entries WHERE "AccountId" = @a""", ("a", account)));
        Assert.Equal(0, await Sql.CountAsync(_host.ConnectionString, "SELECT count(*) FROM billing.processed_events WHERE \"EventId\" = @e", ("e", EventIdOf(body))));
        Assert.DoesNotContain(_host.Logs.Entries, e => e.Contains(FakeStripe.WebhookSecret, StringComparison.Ordinal) || e.Contains(body, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(1059L, "usd")]
    [InlineData(1060L, "eur")]
    public async Task FlagAPaymentWhoseAmountOrCurrencyDoesNotMatchForAnAdminInsteadOfCrediting(long amount, string currency)
    {
        var (account, topUpId, sessionId) = await StartedTopUpAsync(10m);
        _stripe.Pay(sessionId);
        var body = _stripe.Event("checkout.session.completed", sessionId, change: s =>
        {
            s["amount_total"] = amount;
            s["currency"] = currency;
        });

        Assert.Equal(HttpStatusCode.OK, (await PostWebhookAsync(body, FakeStripe.Sign(body, DateTimeOffset.UtcNow))).StatusCode);

        var topUp = (await TopUps.FindAsync(account, topUpId))!;
        Assert.Equal(TopUpStatus.Flagged, topUp.Status);
        Assert.Contains("1060 USD", topUp.StatusReason, StringComparison.Ordinal);
        Assert.Equal(0, await Sql.CountAsync(_host.ConnectionString, """SELECT count(*) FROM billing.ledger_entries WHERE "AccountId" = @a""", ("a", account)));
        Assert.Equal(0, await Sql.CountAsync(_host.ConnectionString, """SELECT count(*) FROM billing.platform_revenue WHERE "TopUpId" = @t""", ("t", topUpId)));
        Assert.Contains(await _host.Services.GetRequiredService<IBillingAdministration>().FlaggedTopUpsAsync(), t => t.Id == topUpId);
    }

    [Fact]
    public async Task WaitForADelayedPaymentAndSettleItWhenItSucceedsOrFails()
    {
        var (account, paidLater, paidSession) = await StartedTopUpAsync(10m);
        var (_, failedLater, failedSession) = await StartedTopUpAsync(12m, account);
        var (_, expired, expiredSession) = await StartedTopUpAsync(15m, account);
        foreach (var session in new[] { paidSession, failedSession })
        {
            var completedUnpaid = _stripe.Event("checkout.session.completed", session, change: s => s["status"] = "complete");
            Assert.Equal(HttpStatusCode.OK, (await PostWebhookAsync(completedUnpaid, FakeStripe.Sign(completedUnpaid, DateTimeOffset.UtcNow))).StatusCode);
        }

        Assert.Equal(TopUpStatus.Pending, (await TopUps.FindAsync(account, paidLater))!.Status);
        _stripe.Pay(paidSession);
        foreach (var (type, session) in new[] { ("checkout.session.async_payment_succeeded", paidSession), ("checkout.session.async_payment_failed", failedSession), ("checkout.session.expired", expiredSession) })
        {
            var body = _stripe.Event(type, session);
            Assert.Equal(HttpStatusCode.OK, (await PostWebhookAsync(body, FakeStripe.Sign(body, DateTimeOffset.UtcNow))).StatusCode);
        }

        Assert.Equal(TopUpStatus.Completed, (await TopUps.FindAsync(account, paidLater))!.Status);
        Assert.Equal(TopUpStatus.Failed, (await TopUps.FindAsync(account, failedLater))!.Status);
        Assert.Equal(TopUpStatus.Expired, (await TopUps.FindAsync(account, expired))!.Status);
        Assert.Equal(10m, await BillingTesting.LedgerSumAsync(_host.ConnectionString, account));
    }

    [Fact]
    public async Task CreditAPaymentWhoseWebhookNeverCameWhenReconcilingAndExpireWhatStripeExpired()
    {
        var (account, paid, paidSession) = await StartedTopUpAsync(10m);
        var (_, expired, expiredSession) = await StartedTopUpAsync(20m, account);
        _stripe.Pay(paidSession, "pi_found_by_reconciliation");
        _stripe.Session(expiredSession)["status"] = "expired";
        var reconcile = _host.Services.GetRequiredService<LlmTr.Modules.Billing.Jobs.ReconcileTopUpsJob>();

        await reconcile.RunAsync(CancellationToken.None);
        await reconcile.RunAsync(CancellationToken.None);
        var late = _stripe.Event("checkout.session.completed", paidSession); // the webhook, after all
        Assert.Equal(HttpStatusCode.OK, (await PostWebhookAsync(late, FakeStripe.Sign(late, DateTimeOffset.UtcNow))).StatusCode);

        Assert.Equal((TopUpStatus.Completed, "pi_found_by_reconciliation"), ((await TopUps.FindAsync(account, paid))!.Status, (await TopUps.FindAsync(account, paid))!.PaymentReference));
        Assert.Equal(TopUpStatus.Expired, (await TopUps.FindAsync(account, expired))!.Status);
        Assert.Equal(10m, await BillingTesting.LedgerSumAsync(_host.ConnectionString, account));
        Assert.Contains(_stripe.Requests, r => r.Method == "GET" && r.Path == $"/v1/checkout/sessions/{paidSession}");
    }

    [Fact]
    public async Task AcknowledgeEventsItDoesNotHandleWithoutChangingAnything()
    {
        var body = """{"id":"evt_other","object":"event","api_version":"API","created":1,"livemode":false,"pending_webhooks":1,"type":"customer.created","data":{"object":{"id":"cus_1","object":"customer"}}}"""
            .Replace("API", Stripe.StripeConfiguration.ApiVersion, StringComparison.Ordinal);

        var response = await PostWebhookAsync(body, FakeStripe.Sign(body, DateTimeOffset.UtcNow));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(0, await Sql.CountAsync(_host.ConnectionString, "SELECT count(*) FROM billing.processed_events WHERE \"EventId\" = 'evt_other'"));
    }

    [Theory]
    [InlineData("4.99")]
    [InlineData("1000.01")]
    [InlineData("10.005")]
    [InlineData("-10")]
    public async Task RefuseACreditOutsideTheTermsAndOpenNoCheckout(string credit)
    {
        var account = await TestAccounts.CreateUserAsync(_host);
        var requestsBefore = _stripe.Requests.Count;

        var started = await TopUps.StartAsync(account, decimal.Parse(credit, System.Globalization.CultureInfo.InvariantCulture), Site);

        Assert.False(started.Succeeded);
        Assert.Contains("Credit", started.Errors.Keys);
        Assert.Equal(requestsBefore, _stripe.Requests.Count);
        Assert.Empty(await TopUps.ListAsync(account));
    }

    [Fact]
    public async Task MarkTheTopUpFailedAndSayNothingWasChargedWhenStripeIsDown()
    {
        var account = await TestAccounts.CreateUserAsync(_host);
        _stripe.Failing = true;
        try
        {
            var started = await TopUps.StartAsync(account, 10m, Site);

            Assert.False(started.Succeeded);
            Assert.Contains("nothing was charged", started.Errors["Payment"][0], StringComparison.Ordinal);
            Assert.Equal(TopUpStatus.Failed, Assert.Single(await TopUps.ListAsync(account)).Status);
        }
        finally
        {
            _stripe.Failing = false;
        }
    }

    [Fact]
    public async Task CreditAPaidCheckoutOnceWhateverOrderDuplicatesExpiriesAndARestartComeIn()
    {
        // Two hosts of its own, one after the other on one database: the second is the first restarted.
        var database = await (await PostgresServer.InstanceAsync()).CreateMigratedDatabaseAsync();
        string account;
        Guid paidFirst, expiredFirst;
        string paidFirstSession, expiredFirstSession, paidFirstEvent;
        await using (var before = new LlmTrHostFactory(database, _stripe.Settings))
        {
            account = await TestAccounts.CreateUserAsync(before);
            var topUps = before.Services.GetRequiredService<ITopUps>();
            (paidFirst, paidFirstSession) = await StartAsync(topUps, account, 10m);
            (expiredFirst, expiredFirstSession) = await StartAsync(topUps, account, 20m);
            _stripe.Pay(paidFirstSession, "pi_paid_first");
            _stripe.Pay(expiredFirstSession, "pi_expired_first");

            // The first top-up: completed, then the same event again. The second: an expiry arrives before its completion.
            paidFirstEvent = _stripe.Event("checkout.session.completed", paidFirstSession);
            await DeliverAsync(before, paidFirstEvent);
            await DeliverAsync(before, paidFirstEvent);
            await DeliverAsync(before, _stripe.Event("checkout.session.expired", expiredFirstSession));
        }

        await using (var after = new LlmTrHostFactory(database, _stripe.Settings))
        {
            // After the restart: the original event once more, a redelivery under a new event id, a late expiry, and the
            // second top-up's completion twice.
            await DeliverAsync(after, paidFirstEvent);
            await DeliverAsync(after, _stripe.Event("checkout.session.completed", paidFirstSession));
            await DeliverAsync(after, _stripe.Event("checkout.session.expired", paidFirstSession));
            var completed = _stripe.Event("checkout.session.completed", expiredFirstSession);
            await DeliverAsync(after, completed);
            await DeliverAsync(after, completed);
            await DeliverAsync(after, _stripe.Event("checkout.session.completed", expiredFirstSession));

            var topUps = after.Services.GetRequiredService<ITopUps>();
            Assert.Equal(TopUpStatus.Completed, (await topUps.FindAsync(account, paidFirst))!.Status);
            Assert.Equal(TopUpStatus.Completed, (await topUps.FindAsync(account, expiredFirst))!.Status);
            Assert.Equal(1, await Sql.CountAsync(database, """SELECT count(*) FROM billing.ledger_entries WHERE "TopUpId" = @t""", ("t", paidFirst)));
            Assert.Equal(1, await Sql.CountAsync(database, """SELECT count(*) FROM billing.ledger_entries WHERE "TopUpId" = @t""", ("t", expiredFirst)));
            Assert.Equal(30m, await BillingTesting.LedgerSumAsync(database, account));
            Assert.Equal(30m, await BillingTesting.StoredBalanceAsync(database, account));
            Assert.Equal(30m, (await after.Services.GetRequiredService<IBalanceQuery>().GetAsync(account)).Balance);
        }

        static async Task<(Guid TopUpId, string SessionId)> StartAsync(ITopUps topUps, string account, decimal credit)
        {
            var started = await topUps.StartAsync(account, credit, Site);
            Assert.True(started.Succeeded, string.Join(" ", started.Errors.SelectMany(e => e.Value)));
            return (started.TopUpId!.Value, SessionIdOf(started));
        }

        static async Task DeliverAsync(LlmTrHostFactory host, string body)
        {
            using var client = host.CreateClient();
            using var request = new HttpRequestMessage(HttpMethod.Post, "/billing/stripe/webhook") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            request.Headers.TryAddWithoutValidation("Stripe-Signature", FakeStripe.Sign(body, DateTimeOffset.UtcNow));
            Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(request)).StatusCode);
        }
    }

    private async Task<(string Account, Guid TopUpId, string SessionId)> StartedTopUpAsync(decimal credit, string? account = null)
    {
        account ??= await TestAccounts.CreateUserAsync(_host);
        var started = await TopUps.StartAsync(account, credit, Site);
        Assert.True(started.Succeeded, string.Join(" ", started.Errors.SelectMany(e => e.Value)));
        return (account, started.TopUpId!.Value, SessionIdOf(started));
    }

    private static string SessionIdOf(StartTopUpResult started) => started.CheckoutUrl!.Segments[^1];

    private static string EventIdOf(string body) => System.Text.Json.Nodes.JsonNode.Parse(body)!["id"]!.GetValue<string>();

    private async Task<HttpResponseMessage> PostWebhookAsync(string body, string? signature)
    {
        using var client = _host.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/billing/stripe/webhook") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (signature is not null)
        {
            request.Headers.TryAddWithoutValidation("Stripe-Signature", signature);
        }

        return await client.SendAsync(request);
    }
}

/// <summary>A fake Stripe and one host pointed at it, for a test class; each test uses accounts of its own.</summary>
public sealed class StripeFixture : IAsyncLifetime
{
    public FakeStripe Stripe { get; private set; } = null!;

    public LlmTrHostFactory Host { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Stripe = await FakeStripe.StartAsync();
        var server = await PostgresServer.InstanceAsync();
        var settings = Stripe.Settings;
        settings["Jobs:Billing:ReconcileAfter"] = "00:00:00";
        Host = new LlmTrHostFactory(await server.CreateMigratedDatabaseAsync(), settings);
        _ = Host.Services;
    }

    public async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        await Stripe.DisposeAsync();
    }
}
