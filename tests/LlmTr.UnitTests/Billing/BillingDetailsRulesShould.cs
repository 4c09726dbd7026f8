using LlmTr.Modules.Billing.Contracts;
using LlmTr.Modules.Billing.Receipts;

namespace LlmTr.UnitTests.Billing;

public sealed class BillingDetailsRulesShould
{
    [Theory]
    [InlineData("10000000146", true)]
    [InlineData("10000000145", false)] // last check digit wrong
    [InlineData("10000000156", false)] // tenth digit wrong
    [InlineData("01000000146", false)] // starts with 0
    [InlineData("1000000014", false)]
    [InlineData("1000000014a", false)]
    [InlineData("١٠٠٠٠٠٠٠١٤٦", false)] // digits, but not ASCII ones
    public void CheckATcKimlikNoWithItsCheckDigits(string number, bool valid) =>
        Assert.Equal(valid, BillingDetailsRules.IsNationalId(number));

    [Fact]
    public void AcceptAPersonWithNameAddressAndAValidKimlikNo() =>
        Assert.Empty(BillingDetailsRules.Problems(BillingDetailsRules.Normalize(new BillingDetails(BuyerKind.Individual, " Ayşe Yılmaz ", "Kadıköy\nİstanbul", null, "10000000146"))));

    [Fact]
    public void AskACompanyForItsTaxOfficeAndATenDigitTaxNumber()
    {
        var problems = BillingDetailsRules.Problems(BillingDetailsRules.Normalize(new BillingDetails(BuyerKind.Company, "Örnek A.Ş.", "Ankara", " ", "12345")));

        Assert.Equal([BillingDetailsProblem.Required], problems["TaxOffice"]);
        Assert.Equal([BillingDetailsProblem.TaxNumberInvalid], problems["TaxId"]);
    }

    [Fact]
    public void RefuseMissingTooLongAndUnprintableValues()
    {
        var problems = BillingDetailsRules.Problems(BillingDetailsRules.Normalize(new BillingDetails(BuyerKind.Individual, new string('a', 201), "", null, "")));
        var control = BillingDetailsRules.Problems(BillingDetailsRules.Normalize(new BillingDetails(BuyerKind.Individual, "Ayşe\u0007", "Kadıköy", null, "10000000146")));

        Assert.Equal([BillingDetailsProblem.TooLong], problems["Name"]);
        Assert.Equal([BillingDetailsProblem.Required], problems["Address"]);
        Assert.Equal([BillingDetailsProblem.Required], problems["TaxId"]);
        Assert.Equal([BillingDetailsProblem.ControlCharacters], control["Name"]);
    }

    [Fact]
    public void DropATaxOfficeGivenForAPerson() =>
        Assert.Null(BillingDetailsRules.Normalize(new BillingDetails(BuyerKind.Individual, "Ayşe", "Kadıköy", "Kadıköy", "10000000146")).TaxOffice);
}
