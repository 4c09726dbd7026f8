using System.Net;
using System.Text;
using LlmTr.Modules.Billing.Contracts;
using LlmTr.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace LlmTr.IntegrationTests.Billing;

/// <summary>
/// A checkout left unpaid with Stripe, resumed or cancelled. A payment that reaches the platform after the cancel is
/// credited exactly once (the money was taken, so it is never lost): Stripe's session is expired first, so only a
/// payment finished before that can arrive at all.
/// </summary>
public sealed class AbandonedCheckoutsShould(StripeFixture fixture) : IClassFixture<StripeFixture>
{
    private static readonly Uri Site = new("https://llmtr.test/");
    private readonly FakeStripe _stripe = fixture.Stripe;
    private readonly LlmTrHostFactory _host = fixture.Host;

    private ITopUps TopUps => _host.Services.GetRequiredService<ITopUps>();

    private IPendingTopUps Pending => _host.Services.GetRequiredService<IPendingTopUps>();

    [Fact]
    public async Task SendTheBuyerBackToTheSameOpenStripeSession()
    {
        var (account, topUpId, sessionId, checkoutUrl) = await StartedAsync(25m);
        var sessionsBefore = _stripe.Requests.Count(r => r.Method == "POST" && r.Path == "/v1/checkout/sessions");

        var resumed = await Pending.ResumeAsync(account, topUpId, Site);

        Assert.Equal(PendingTopUpOutcome.CheckoutOpen, resumed.Outcome);
        Assert.Equal(checkoutUrl, resumed.CheckoutUrl);
        Assert.Equal(sessionsBefore, _stripe.Requests.Count(r => r.Method == "POST" && r.Path == "/v1/checkout/sessions"));
        Assert.Contains(_stripe.Requests, r => r.Method == "GET" && r.Path == $"/v1/checkout/sessions/{sessionId}");
        Assert.Equal(TopUpStatus.Pending, (await TopUps.FindAsync(account, topUpId))!.Status);
    }

    [Fact]
    public async Task CancelTheTopUpAndExpireItsStripeSessionSoItCannotBePaid()
    {
        var (account, topUpId, sessionId, _) = await StartedAsync(25m);

        var cancelled = await Pending.CancelAsync(account, topUpId);

        Assert.Equal(PendingTopUpOutcome.Cancelled, cancelled.Outcome);
        Assert.Equal(TopUpStatus.Cancelled, cancelled.TopUp!.Status);
        var expire = Assert.Single(_stripe.Requests, r => r.Path == $"/v1/checkout/sessions/{sessionId}/expire");
        Assert.Equal(("POST", $"Bearer {FakeStripe.SecretKey}"), (expire.Method, expire.Authorization));
        Assert.Equal("expired", (string?)_stripe.Session(sessionId)["status"]);
        Assert.Equal(PendingTopUpOutcome.NotPending, (await Pending.ResumeAsync(account, topUpId, Site)).Outcome);
        Assert.Equal(PendingTopUpOutcome.NotPending, (await Pending.CancelAsync(account, topUpId)).Outcome);
        Assert.Equal(0m, await BillingTesting.LedgerSumAsync(_host.ConnectionString, account));
    }

    [Fact]
    public async Task CreditAPaymentWhoseWebhookArrivesAfterTheCancelExactlyOnce()
    {
        var (account, topUpId, sessionId, _) = await StartedAsync(25m);
        Assert.Equal(PendingTopUpOutcome.Cancelled, (await Pending.CancelAsync(account, topUpId)).Outcome);

        // The buyer's payment went through at Stripe just before the session closed; its notice comes afterwards, twice.
        var completed = _stripe.Event("checkout.session.completed", sessionId, change: PaidSession("pi_after_cancel"));
        Assert.Equal(HttpStatusCode.OK, (await PostWebhookAsync(completed)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await PostWebhookAsync(completed)).StatusCode);
        var redelivered = _stripe.Event("checkout.session.completed", sessionId, change: PaidSession("pi_after_cancel"));
        Assert.Equal(HttpStatusCode.OK, (await PostWebhookAsync(redelivered)).StatusCode);

        var topUp = (await TopUps.FindAsync(account, topUpId))!;
        Assert.Equal((TopUpStatus.Completed, "pi_after_cancel"), (topUp.Status, topUp.PaymentReference));
        Assert.Equal(1, await Sql.CountAsync(_host.ConnectionString, """SELECT count(*) FROM billing.ledger_entries WHERE "TopUpId" = @t""", ("t", topUpId)));
        Assert.Equal(25m, await BillingTesting.LedgerSumAsync(_host.ConnectionString, account));
        Assert.Equal(25m, (await _host.Services.GetRequiredService<IBalanceQuery>().GetAsync(account)).Balance);
    }

    [Fact]
    public async Task CreditInsteadOfCancellingWhenStripeTookThePaymentFirst()
    {
        var (account, topUpId, sessionId, _) = await StartedAsync(10m);
        _stripe.Pay(sessionId, "pi_before_cancel");

        var cancelled = await Pending.CancelAsync(account, topUpId);
        var late = _stripe.Event("checkout.session.completed", sessionId);
        Assert.Equal(HttpStatusCode.OK, (await PostWebhookAsync(late)).StatusCode);

        Assert.Equal(PendingTopUpOutcome.AlreadyPaid, cancelled.Outcome);
        Assert.Equal((TopUpStatus.Completed, "pi_before_cancel"), (cancelled.TopUp!.Status, cancelled.TopUp.PaymentReference));
        Assert.Equal("complete", (string?)_stripe.Session(sessionId)["status"]);
        Assert.Equal(1, await Sql.CountAsync(_host.ConnectionString, """SELECT count(*) FROM billing.ledger_entries WHERE "TopUpId" = @t""", ("t", topUpId)));
        Assert.Equal(10m, await BillingTesting.LedgerSumAsync(_host.ConnectionString, account));
    }

    [Fact]
    public async Task SettleInsteadOfResumingWhenTheSessionWasPaidOrHasExpired()
    {
        var (account, paid, paidSession, _) = await StartedAsync(10m);
        var (_, expired, expiredSession, _) = await StartedAsync(20m, account);
        _stripe.Pay(paidSession, "pi_found_on_resume");
        _stripe.Session(expiredSession)["status"] = "expired";

        var resumedPaid = await Pending.ResumeAsync(account, paid, Site);
        var resumedExpired = await Pending.ResumeAsync(account, expired, Site);

        Assert.Equal((PendingTopUpOutcome.AlreadyPaid, TopUpStatus.Completed), (resumedPaid.Outcome, resumedPaid.TopUp!.Status));
        Assert.Equal((PendingTopUpOutcome.NotPending, TopUpStatus.Expired), (resumedExpired.Outcome, resumedExpired.TopUp!.Status));
        Assert.Null(resumedExpired.CheckoutUrl);
        Assert.Equal(10m, await BillingTesting.LedgerSumAsync(_host.ConnectionString, account));
    }

    [Fact]
    public async Task ChangeNothingWhenStripeDoesNotAnswerTheCancel()
    {
        var (account, topUpId, sessionId, _) = await StartedAsync(10m);
        _stripe.Failing = true;
        try
        {
            var cancelled = await Pending.CancelAsync(account, topUpId);

            Assert.Equal(PendingTopUpOutcome.ProviderUnavailable, cancelled.Outcome);
        }
        finally
        {
            _stripe.Failing = false;
        }

        Assert.Equal(TopUpStatus.Pending, (await TopUps.FindAsync(account, topUpId))!.Status);
        Assert.Equal("open", (string?)_stripe.Session(sessionId)["status"]);
        Assert.DoesNotContain(_host.Logs.Entries, e => e.Contains(FakeStripe.SecretKey, StringComparison.Ordinal));
    }

    [Fact]
    public async Task LetOnlyTheOwnerResumeOrCancel()
    {
        var (_, topUpId, sessionId, _) = await StartedAsync(10m);
        var stranger = await TestAccounts.CreateUserAsync(_host);

        Assert.Equal(PendingTopUpOutcome.NotFound, (await Pending.ResumeAsync(stranger, topUpId, Site)).Outcome);
        Assert.Equal(PendingTopUpOutcome.NotFound, (await Pending.CancelAsync(stranger, topUpId)).Outcome);
        Assert.Equal("open", (string?)_stripe.Session(sessionId)["status"]);
    }

    [Fact]
    public async Task CancelFromTheBillingPageWithItsAntiforgeryTokenOnly()
    {
        var (account, browser) = await TestAccounts.SignInAsync(_host);
        using (browser)
        {
            var started = await TopUps.StartAsync(account, 10m, Site);
            var page = await (await browser.GetAsync("/dashboard/billing")).Content.ReadAsStringAsync();
            Assert.Contains($"/billing/top-ups/{started.TopUpId}/cancel", page, StringComparison.Ordinal);

            var forged = await browser.PostFormAsync("/dashboard/billing", $"/billing/top-ups/{started.TopUpId}/cancel", new Dictionary<string, string> { ["__RequestVerificationToken"] = "forged" });
            Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
            Assert.Equal(TopUpStatus.Pending, (await TopUps.FindAsync(account, started.TopUpId!.Value))!.Status);

            var resumed = await browser.PostFormAsync("/dashboard/billing", $"/billing/top-ups/{started.TopUpId}/resume", new Dictionary<string, string>());
            Assert.Equal(HttpStatusCode.Redirect, resumed.StatusCode);
            Assert.Equal(started.CheckoutUrl, resumed.Headers.Location);

            var cancelled = await browser.PostFormAsync("/dashboard/billing", $"/billing/top-ups/{started.TopUpId}/cancel", new Dictionary<string, string>());
            Assert.Equal(HttpStatusCode.Redirect, cancelled.StatusCode);
            Assert.Equal($"/dashboard/billing?topUp={started.TopUpId}", FormClient.LocationOf(cancelled));
            var back = await (await browser.GetAsync(FormClient.LocationOf(cancelled)!)).Content.ReadAsStringAsync();
            Assert.Contains("You cancelled this top-up.", back, StringComparison.Ordinal);
            Assert.DoesNotContain("data-testid=\"pending-top-ups\"", back, StringComparison.Ordinal);

            var unknown = await browser.PostFormAsync("/dashboard/billing", $"/billing/top-ups/{Guid.NewGuid()}/cancel", new Dictionary<string, string>());
            Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        }
    }

    private static Action<System.Text.Json.Nodes.JsonObject> PaidSession(string paymentIntent) => s =>
    {
        s["status"] = "complete";
        s["payment_status"] = "paid";
        s["payment_intent"] = paymentIntent;
    };

    private async Task<(string Account, Guid TopUpId, string SessionId, Uri CheckoutUrl)> StartedAsync(decimal credit, string? account = null)
    {
        account ??= await TestAccounts.CreateUserAsync(_host);
        var started = await TopUps.StartAsync(account, credit, Site);
        Assert.True(started.Succeeded, string.Join(" ", started.Errors.SelectMany(e => e.Value)));
        return (account, started.TopUpId!.Value, started.CheckoutUrl!.Segments[^1], started.CheckoutUrl);
    }

    private async Task<HttpResponseMessage> PostWebhookAsync(string body)
    {
        using var client = _host.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/billing/stripe/webhook") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.TryAddWithoutValidation("Stripe-Signature", FakeStripe.Sign(body, DateTimeOffset.UtcNow));
        return await client.SendAsync(request);
    }
}
