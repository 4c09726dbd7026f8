using LlmTr.Identity.Organisations;
using System.Globalization;
using System.Security.Claims;
using LlmTr.Identity;
using LlmTr.Modules.Billing.Contracts;
using LlmTr.Modules.Billing.Payments;
using LlmTr.Modules.Billing.TopUps;
using LlmTr.Modules.Billing.Usage;
using LlmTr.Modules.Gateway.Contracts;
using LlmTr.Modules.Keys.Contracts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace LlmTr.Modules.Billing.Api;

internal static class BillingEndpoints
{
    /// <summary>Stripe's events are a few kilobytes; anything far larger is not one.</summary>
    private const long MaxWebhookBytes = 256 * 1024;

    public static IEndpointRouteBuilder MapBillingApi(this IEndpointRouteBuilder endpoints)
    {
        var billing = endpoints.MapGroup("/billing").WithTags("Billing");
        billing.MapPost("/top-ups", StartTopUpAsync).RequireAuthorization()
            .WithName("StartTopUp").WithSummary("Opens a checkout for a credit top-up (a form post from the billing page) and redirects to it");
        billing.MapPost("/top-ups/{Id:guid}/resume", ResumeTopUpAsync).RequireAuthorization()
            .WithName("ResumeTopUp").WithSummary("Sends the buyer back to a pending top-up's open checkout (a form post from the billing page)");
        billing.MapPost("/top-ups/{Id:guid}/cancel", CancelTopUpAsync).RequireAuthorization()
            .WithName("CancelTopUp").WithSummary("Cancels a pending top-up and closes its checkout at the payment provider (a form post from the billing page)");
        billing.MapGet("/usage.csv", ExportUsageAsync).RequireAuthorization()
            .WithName("ExportUsage").WithSummary("The signed-in account's usage rows as CSV, filtered like the usage page");
        billing.MapGet("/residency.csv", ExportResidencyAsync).RequireAuthorization()
            .WithName("ExportResidency").WithSummary("The signed-in account's residency report (by country, key and model) as CSV");
        billing.MapPost("/stripe/webhook", ReceiveStripeEventAsync).AllowAnonymous()
            .WithMetadata(new RequestSizeLimitAttribute(MaxWebhookBytes))
            .WithName("StripeWebhook").WithSummary("Stripe's signed Checkout events");
        return endpoints;
    }

    internal static async Task<Results<RedirectHttpResult, ValidationProblem, ForbidHttpResult>> StartTopUpAsync(
        [FromForm(Name = "credit")] string? credit, HttpContext http, ITopUps topUps, IEmailConfirmationGate confirmation, IOrganisations organisations,
        IOrganisationAudit audit, CancellationToken cancellationToken)
    {
        // Only the organisation's owners and billing members top it up.
        if (await organisations.CurrentAsync(http) is not { } membership || !membership.Can(OrganisationPermission.ManageBilling))
        {
            return TypedResults.Forbid();
        }

        // An account that has not confirmed its e-mail yet (when Identity:RequireConfirmedEmail is on) cannot pay; the
        // billing page says why and offers a new confirmation link. Nothing is recorded.
        if (!await confirmation.AllowsAsync(membership.UserId, cancellationToken))
        {
            return TypedResults.LocalRedirect("/dashboard/billing?problem=unconfirmed");
        }

        if (!decimal.TryParse(credit, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount))
        {
            return Invalid(TopUpService.CreditField, "Enter the credit amount as a number such as 25 or 25.50.");
        }

        var siteBase = new Uri($"{http.Request.Scheme}://{http.Request.Host}{http.Request.PathBase}/");
        var started = await topUps.StartAsync(membership.OrganisationId, amount, siteBase, cancellationToken);
        if (started.CheckoutUrl is { } url)
        {
            await audit.RecordAsync(new OrganisationAuditEvent(membership.OrganisationId, membership.UserId, OrganisationActions.TopUpStarted, $"top-up:{started.TopUpId}",
                string.Create(CultureInfo.InvariantCulture, $"{amount:0.00} credit")), null, cancellationToken);
            return TypedResults.Redirect(url.ToString());
        }

        // The provider being away is not the buyer's mistake: back to the page, which says so in the buyer's language.
        return started.Errors.ContainsKey(TopUpService.PaymentField)
            ? TypedResults.LocalRedirect("/dashboard/billing?problem=payment")
            : TypedResults.ValidationProblem(started.Errors, title: "The top-up could not be started.");
    }

    // The form parameter is what makes the framework check the antiforgery token of these posts.
    internal static async Task<Results<RedirectHttpResult, NotFound>> ResumeTopUpAsync(
        Guid id, IFormCollection form, HttpContext http, IPendingTopUps pending, IOrganisations organisations, CancellationToken cancellationToken)
    {
        if (await BillingAccountAsync(organisations, http) is not { } account)
        {
            return TypedResults.NotFound();
        }

        var siteBase = new Uri($"{http.Request.Scheme}://{http.Request.Host}{http.Request.PathBase}/");
        var result = await pending.ResumeAsync(account, id, siteBase, cancellationToken);
        return result.Outcome switch
        {
            PendingTopUpOutcome.CheckoutOpen => TypedResults.Redirect(result.CheckoutUrl!.ToString()),
            PendingTopUpOutcome.NotFound => TypedResults.NotFound(),
            PendingTopUpOutcome.ProviderUnavailable => TypedResults.LocalRedirect("/dashboard/billing?problem=payment"),
            _ => TypedResults.LocalRedirect($"/dashboard/billing?topUp={id}"),
        };
    }

    internal static async Task<Results<RedirectHttpResult, NotFound>> CancelTopUpAsync(
        Guid id, IFormCollection form, HttpContext http, IPendingTopUps pending, IOrganisations organisations, CancellationToken cancellationToken)
    {
        if (await BillingAccountAsync(organisations, http) is not { } account)
        {
            return TypedResults.NotFound();
        }

        var result = await pending.CancelAsync(account, id, cancellationToken);
        return result.Outcome switch
        {
            PendingTopUpOutcome.NotFound => TypedResults.NotFound(),
            PendingTopUpOutcome.ProviderUnavailable => TypedResults.LocalRedirect("/dashboard/billing?problem=cancel"),
            _ => TypedResults.LocalRedirect($"/dashboard/billing?topUp={id}"),
        };
    }

    internal static async Task<Results<PushStreamHttpResult, ValidationProblem, ForbidHttpResult>> ExportUsageAsync(
        [AsParameters] UsageExportQuery query, HttpContext http, IUsageHistory usage, IApiKeys keys, IOrganisations organisations, TimeProvider time)
    {
        if (query.Problems() is { Count: > 0 } problems)
        {
            return TypedResults.ValidationProblem(problems, title: "The usage filter is not valid.");
        }

        if (await organisations.CurrentAsync(http) is not { } membership || !membership.Can(OrganisationPermission.ViewReports))
        {
            return TypedResults.Forbid();
        }

        var account = membership.OrganisationId;
        var name = string.Create(CultureInfo.InvariantCulture, $"llmtr-usage-{time.GetUtcNow():yyyyMMdd-HHmmss}.csv");

        // Keys by name beside their ids, read once per export; playground rows carry each member's playground id.
        var keyNames = (await keys.ListAsync(new KeyHolder(account, membership.UserId, ManagesAllKeys: true), http.RequestAborted)).ToDictionary(k => k.Id, k => k.Name);
        foreach (var member in await organisations.MembersAsync(account, http.RequestAborted))
        {
            keyNames[PlaygroundKey.For(account, member.UserId)] = membership.Organisation.Personal ? PlaygroundKey.Name : $"{PlaygroundKey.Name} ({member.Email})";
        }

        return TypedResults.Stream(
            output => UsageCsv.WriteAsync(usage.ExportAsync(account, query.ToFilter(), http.RequestAborted), keyNames, output, http.RequestAborted),
            "text/csv; charset=utf-8",
            name);
    }

    internal static async Task<Results<FileContentHttpResult, ValidationProblem, ForbidHttpResult>> ExportResidencyAsync(
        [AsParameters] UsageExportQuery query, HttpContext http, IResidencyReport residency, IOrganisations organisations, TimeProvider time)
    {
        if (query.Problems() is { Count: > 0 } problems)
        {
            return TypedResults.ValidationProblem(problems, title: "The report's filter is not valid.");
        }

        if (await organisations.CurrentAsync(http) is not { } membership || !membership.Can(OrganisationPermission.ViewReports))
        {
            return TypedResults.Forbid();
        }

        var report = await residency.BuildAsync(membership.OrganisationId, query.ToFilter(), http.RequestAborted);
        var name = string.Create(CultureInfo.InvariantCulture, $"llmtr-residency-{time.GetUtcNow():yyyyMMdd-HHmmss}.csv");
        return TypedResults.File(System.Text.Encoding.UTF8.GetBytes(ResidencyCsv.Write(report)), "text/csv; charset=utf-8", name);
    }

    internal static async Task<Results<Ok<WebhookAnswer>, BadRequest<WebhookAnswer>, NotFound<WebhookAnswer>, StatusCodeHttpResult>> ReceiveStripeEventAsync(
        HttpRequest request, IOptions<StripeOptions> stripe, StripeWebhook webhook, CancellationToken cancellationToken)
    {
        if (!stripe.Value.IsConfigured)
        {
            // With a body, so the site's not-found page is not rendered in its place.
            return TypedResults.NotFound(new WebhookAnswer(false, "Stripe is not configured on this installation."));
        }

        if (request.ContentLength > MaxWebhookBytes)
        {
            return TypedResults.StatusCode(StatusCodes.Status413PayloadTooLarge);
        }

        using var reader = new StreamReader(request.Body);
        var json = await reader.ReadToEndAsync(cancellationToken);
        var verdict = await webhook.HandleAsync(json, request.Headers["Stripe-Signature"].ToString(), cancellationToken);
        return verdict == WebhookVerdict.Rejected
            ? TypedResults.BadRequest(new WebhookAnswer(false, "The signature is missing, invalid or too old."))
            : TypedResults.Ok(new WebhookAnswer(true, null));
    }

    /// <summary>The organisation whose top-ups the signed-in user may handle (owner or billing member), or null.</summary>
    private static async Task<string?> BillingAccountAsync(IOrganisations organisations, HttpContext http) =>
        await organisations.CurrentAsync(http) is { } membership && membership.Can(OrganisationPermission.ManageBilling) ? membership.OrganisationId : null;

    private static ValidationProblem Invalid(string field, string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] }, title: "The top-up could not be started.");
}

internal sealed record WebhookAnswer(bool Received, string? Error);

/// <summary>The usage export's filter as the query string carries it: <c>key</c>, <c>model</c>, <c>from</c>, <c>to</c> (yyyy-MM-dd, UTC days).</summary>
internal sealed record UsageExportQuery(string? Key, string? Model, string? From, string? To)
{
    public Dictionary<string, string[]> Problems()
    {
        var problems = new Dictionary<string, string[]>();
        if (Key is { Length: > 0 } && !Guid.TryParse(Key, out _))
        {
            problems["key"] = ["The key is an API key id (a GUID)."];
        }

        if (Model is { Length: > 200 })
        {
            problems["model"] = ["A model id is at most 200 characters."];
        }
        else if (Model is not null && Model.AsSpan().ContainsAnyInRange('\u0000', '\u001f'))
        {
            problems["model"] = ["A model id has no control characters."];
        }

        var from = Day(From, "from", problems);
        var to = Day(To, "to", problems);
        if (from > to)
        {
            problems["to"] = ["The range ends before it starts."];
        }

        return problems;
    }

    public UsageFilter ToFilter() => new(
        Key is { Length: > 0 } ? Guid.Parse(Key) : null,
        Model is { Length: > 0 } ? Model : null,
        From is { Length: > 0 } ? DateOnly.ParseExact(From, "yyyy-MM-dd", CultureInfo.InvariantCulture) : null,
        To is { Length: > 0 } ? DateOnly.ParseExact(To, "yyyy-MM-dd", CultureInfo.InvariantCulture) : null);

    private static DateOnly? Day(string? text, string field, Dictionary<string, string[]> problems)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            return day;
        }

        problems[field] = ["Use a date as yyyy-MM-dd."];
        return null;
    }
}
