using Bunit;
using LlmTr.Modules.Billing.Contracts;
using LlmTr.Web.Pages.Billing;
using LlmTr.Web.Tests.Support;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace LlmTr.Web.Tests.Billing;

public sealed class BillingDetailsFormShould : WebTestContext
{
    private const string Account = "buyer-1";
    private readonly FakeProfiles profiles = new();

    public BillingDetailsFormShould()
    {
        Services.AddSingleton<IBillingProfiles>(profiles);
        Renderer.SetRendererInfo(new RendererInfo("Server", isInteractive: true));
    }

    [Fact]
    public void SayThatNoDetailsAreSavedYetAndSaveAPersonsDetails()
    {
        var form = Render<BillingDetailsForm>(p => p.Add(c => c.AccountId, Account));
        Assert.NotNull(form.Find("[data-testid=billing-details-missing]"));
        Assert.Empty(form.FindAll("[data-testid=details-tax-office]"));

        form.Find("input[data-testid=details-name]").Change("Ayşe Yılmaz");
        form.Find("textarea[data-testid=details-address]").Change("Atatürk Cad. 1\nKadıköy, İstanbul");
        form.Find("input[data-testid=details-tax-id]").Change("10000000146");
        form.Find("[data-testid=details-save]").Click();

        Assert.Equal(new BillingDetails(BuyerKind.Individual, "Ayşe Yılmaz", "Atatürk Cad. 1\nKadıköy, İstanbul", null, "10000000146"), profiles.Saved[Account]);
        Assert.Contains("Billing details saved.", form.Markup, StringComparison.Ordinal);
        Assert.Empty(form.FindAll("[data-testid=billing-details-missing]"));
    }

    [Fact]
    public void AskACompanyForItsTaxOfficeAndShowEachFieldsProblemInWords()
    {
        profiles.Answer = new Dictionary<string, string[]>
        {
            ["TaxOffice"] = [BillingDetailsProblem.Required],
            ["TaxId"] = [BillingDetailsProblem.TaxNumberInvalid],
        };
        var form = Render<BillingDetailsForm>(p => p.Add(c => c.AccountId, Account));

        var company = form.Find("[data-testid=kind-company]");
        (company.TagName == "INPUT" ? company : company.QuerySelector("input")!).Click();
        form.Find("[data-testid=details-save]").Click();

        Assert.NotNull(form.Find("[data-testid=details-tax-office]"));
        Assert.Contains("Company name", form.Markup, StringComparison.Ordinal);
        Assert.Contains("Fill this in.", form.Markup, StringComparison.Ordinal);
        Assert.Contains("Enter the 10-digit tax number.", form.Markup, StringComparison.Ordinal);
        Assert.DoesNotContain("Billing details saved.", form.Markup, StringComparison.Ordinal);
        Assert.Equal(BuyerKind.Company, profiles.Attempts.Single().Kind);
    }

    [Fact]
    public void ShowTheSavedDetailsAndProblemsInTurkish()
    {
        using var turkish = new CultureScope("tr");
        profiles.Saved[Account] = new BillingDetails(BuyerKind.Individual, "Ayşe Yılmaz", "Kadıköy", null, "10000000145");
        profiles.Answer = new Dictionary<string, string[]> { ["TaxId"] = [BillingDetailsProblem.NationalIdInvalid] };
        var form = Render<BillingDetailsForm>(p => p.Add(c => c.AccountId, Account));

        Assert.Equal("Ayşe Yılmaz", form.Find("input[data-testid=details-name]").GetAttribute("value"));
        form.Find("[data-testid=details-save]").Click();

        Assert.Contains("T.C. kimlik numarası", form.Markup, StringComparison.Ordinal);
        Assert.Contains("11 haneli bir T.C. kimlik numarası girin", form.Markup, StringComparison.Ordinal);
    }

    private sealed class FakeProfiles : IBillingProfiles
    {
        public Dictionary<string, BillingDetails> Saved { get; } = [];

        public List<BillingDetails> Attempts { get; } = [];

        public Dictionary<string, string[]> Answer { get; set; } = [];

        public Task<BillingDetails?> GetAsync(string accountId, CancellationToken cancellationToken = default) =>
            Task.FromResult(Saved.GetValueOrDefault(accountId));

        public Task<IReadOnlyDictionary<string, string[]>> SaveAsync(string accountId, BillingDetails details, CancellationToken cancellationToken = default)
        {
            Attempts.Add(details);
            if (Answer.Count == 0)
            {
                Saved[accountId] = details;
            }

            return Task.FromResult<IReadOnlyDictionary<string, string[]>>(Answer);
        }

        public Task DeleteAsync(string accountId, CancellationToken cancellationToken = default)
        {
            Saved.Remove(accountId);
            return Task.CompletedTask;
        }
    }
}
