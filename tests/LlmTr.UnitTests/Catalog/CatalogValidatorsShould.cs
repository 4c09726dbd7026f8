using FluentValidation;
using LlmTr.Modules.Catalog.Administration;
using LlmTr.Modules.Catalog.Contracts;

namespace LlmTr.UnitTests.Catalog;

public sealed class CatalogValidatorsShould
{
    private static readonly ModelInput ValidModel = new(
        "openai/gpt-4o", "gpt-4o", "GPT-4o", "A model.", "Bir model.", 128_000, 16_384,
        ["text", "image"], ["text"], ["chat", "streaming"], ["temperature"], "Active", "Public", [], null,
        [new DataPathHop("LLMTR gateway", "TR", "Istanbul", "Routes", "Metadata only", false, HopRetention.MetadataOnly)]);

    private static readonly ProviderInput ValidProvider = new(
        "openai", "OpenAI", "OpenAi", "https://api.openai.com/v1", "US", null, "Kept 30 days.", "30 gün saklanır.", "Active");

    [Fact]
    public void AcceptAWellFormedModelAndProvider()
    {
        Assert.True(new ModelInputValidator().Validate(ValidModel).IsValid);
        Assert.True(new ProviderInputValidator().Validate(ValidProvider).IsValid);
    }

    [Theory]
    [InlineData("gpt-4o")]
    [InlineData("OpenAI/gpt-4o")]
    [InlineData("openai/")]
    [InlineData("openai/gpt 4o")]
    [InlineData("/gpt-4o")]
    [InlineData("openai/gpt-4o/extra")]
    public void RejectAModelIdThatIsNotLowercaseProviderSlashModel(string id) =>
        AssertRejected(new ModelInputValidator(), ValidModel with { Id = id }, nameof(ModelInput.Id), "Use provider/model in lowercase");

    [Fact]
    public void RejectEmptyModalitiesWithAMessagePerField()
    {
        var result = new ModelInputValidator().Validate(ValidModel with { InputModalities = [], OutputModalities = [] });

        Assert.Contains(result.Errors, e => e.PropertyName == nameof(ModelInput.InputModalities) && e.ErrorMessage == "Choose at least one input modality.");
        Assert.Contains(result.Errors, e => e.PropertyName == nameof(ModelInput.OutputModalities) && e.ErrorMessage == "Choose at least one output modality.");
    }

    [Fact]
    public void RejectUnknownModalitiesAndOperations()
    {
        var result = new ModelInputValidator().Validate(ValidModel with { InputModalities = ["smell"], Operations = ["teleport"] });

        Assert.Contains(result.Errors, e => e.PropertyName == nameof(ModelInput.InputModalities));
        Assert.Contains(result.Errors, e => e.PropertyName == nameof(ModelInput.Operations));
    }

    [Fact]
    public void RejectAnOutputLimitAboveTheContextAndAnEmptyDataPath()
    {
        var result = new ModelInputValidator().Validate(ValidModel with { ContextLength = 1000, MaxOutputTokens = 2000, DataPath = [] });

        Assert.Contains(result.Errors, e => e.PropertyName == nameof(ModelInput.MaxOutputTokens) && e.ErrorMessage.Contains("context length", StringComparison.Ordinal));
        Assert.Contains(result.Errors, e => e.PropertyName == nameof(ModelInput.DataPath));
    }

    [Theory]
    [InlineData("grpc")]
    [InlineData("")]
    [InlineData("1")]
    public void RejectAnUnknownProtocolNamingTheKnownOnes(string protocol) =>
        AssertRejected(new ProviderInputValidator(), ValidProvider with { Protocol = protocol }, nameof(ProviderInput.Protocol), "OpenAi, AnthropicMessages, Gemini");

    [Theory]
    [InlineData("tr")]
    [InlineData("TUR")]
    public void RejectACountryThatIsNotATwoLetterCode(string country) =>
        AssertRejected(new ProviderInputValidator(), ValidProvider with { Country = country }, nameof(ProviderInput.Country), "two-letter");

    [Fact]
    public void RejectARelativeBaseUrl() =>
        AssertRejected(new ProviderInputValidator(), ValidProvider with { BaseUrl = "/v1" }, nameof(ProviderInput.BaseUrl), "absolute");

    [Fact]
    public void RejectANegativePrice() =>
        AssertRejected(new PriceInputValidator(), new PriceInput("openai/gpt-4o", "InputTokensPerMillion", -0.01m, DateTimeOffset.UtcNow),
            nameof(PriceInput.Amount), "A price cannot be negative.");

    [Fact]
    public void RejectAnUnknownPriceUnit() =>
        AssertRejected(new PriceInputValidator(), new PriceInput("openai/gpt-4o", "PerToken", 1m, DateTimeOffset.UtcNow),
            nameof(PriceInput.Unit), "Unknown price unit 'PerToken'");

    [Fact]
    public void AcceptAFreeModel() =>
        Assert.True(new PriceInputValidator().Validate(new PriceInput("llmtr/demo", "OutputTokensPerMillion", 0m, DateTimeOffset.UtcNow)).IsValid);

    [Theory]
    [InlineData("1024x1024")]
    [InlineData("1024x1024/high")]
    [InlineData("1536x1024/low")]
    [InlineData("1792x1024/hd")]
    public void AcceptAnImagePriceForASizeAndQuality(string variant) =>
        Assert.True(new PriceInputValidator().Validate(new PriceInput("openai/gpt-image-1", "Image", 0.167m, DateTimeOffset.UtcNow, variant)).IsValid);

    [Theory]
    [InlineData("1024")]
    [InlineData("1024x")]
    [InlineData("0x1024")]
    [InlineData("1024x1024/ultra")]
    [InlineData("1024x1024/")]
    [InlineData("big")]
    public void RejectAMalformedImageVariant(string variant) =>
        AssertRejected(new PriceInputValidator(), new PriceInput("openai/gpt-image-1", "Image", 0.1m, DateTimeOffset.UtcNow, variant),
            nameof(PriceInput.Variant), "WIDTHxHEIGHT");

    [Fact]
    public void RejectAVariantOnAUnitThatHasNone() =>
        AssertRejected(new PriceInputValidator(), new PriceInput("openai/gpt-4o", "InputTokensPerMillion", 1m, DateTimeOffset.UtcNow, "1024x1024"),
            nameof(PriceInput.Variant), "Only an image price");

    private static readonly DeploymentInput ValidDeployment = new(
        "openai/gpt-4o", "azure-sweden", "azure-sweden", "AzureOpenAi", "https://llmtr.openai.azure.com/openai/v1", "gpt-4o", "Sweden Central",
        [new DataPathHop("LLMTR gateway", "TR", "Istanbul", "Routes", "Metadata only", false, HopRetention.MetadataOnly)], 100, "Active", SpeaksResponsesApi: true);

    [Fact]
    public void AcceptAWellFormedDeploymentAndOneThatTakesEverythingFromItsProvider()
    {
        Assert.True(new DeploymentInputValidator().Validate(ValidDeployment).IsValid);
        Assert.True(new DeploymentInputValidator().Validate(ValidDeployment with { Protocol = "", BaseUrl = "", UpstreamName = "", DataPath = [], SpeaksResponsesApi = false }).IsValid);
        Assert.True(new AccountInputValidator().Validate(new AccountInput("azure-sweden", "Azure (Sweden)")).IsValid);
    }

    [Theory]
    [InlineData(nameof(DeploymentInput.Name), "Azure Sweden", "Use lowercase letters")]
    [InlineData(nameof(DeploymentInput.AccountId), "", "Choose the provider account")]
    [InlineData(nameof(DeploymentInput.Protocol), "Bedrock", "Unknown protocol 'Bedrock'")]
    [InlineData(nameof(DeploymentInput.BaseUrl), "ftp://example.com", "Enter an absolute http(s) URL")]
    [InlineData(nameof(DeploymentInput.Status), "Paused", "Unknown status 'Paused'")]
    public void RejectABadDeploymentFieldByName(string field, string value, string messagePart)
    {
        var input = field switch
        {
            nameof(DeploymentInput.Name) => ValidDeployment with { Name = value },
            nameof(DeploymentInput.AccountId) => ValidDeployment with { AccountId = value },
            nameof(DeploymentInput.Protocol) => ValidDeployment with { Protocol = value },
            nameof(DeploymentInput.BaseUrl) => ValidDeployment with { BaseUrl = value },
            _ => ValidDeployment with { Status = value },
        };

        AssertRejected(new DeploymentInputValidator(), input, field, messagePart);
    }

    [Fact]
    public void RejectAWeightOutsideItsRangeAndTheResponsesApiOnAProtocolThatHasNone()
    {
        AssertRejected(new DeploymentInputValidator(), ValidDeployment with { Weight = -1 }, nameof(DeploymentInput.Weight), "from 0 to 1000");
        AssertRejected(new DeploymentInputValidator(), ValidDeployment with { Weight = 1001 }, nameof(DeploymentInput.Weight), "from 0 to 1000");
        AssertRejected(new DeploymentInputValidator(), ValidDeployment with { Protocol = "Gemini" }, nameof(DeploymentInput.SpeaksResponsesApi), "Responses API");
        AssertRejected(new DeploymentInputValidator(), ValidDeployment with { DataPath = [ValidDeployment.DataPath[0] with { Country = "Turkey" }] }, "DataPath[0].Country", "two-letter");
    }

    [Fact]
    public void KeepAzureOpenAiForDeployments()
    {
        AssertRejected(new ProviderInputValidator(), ValidProvider with { Protocol = "AzureOpenAi" }, nameof(ProviderInput.Protocol), "a deployment's protocol");
    }

    private static void AssertRejected<T>(IValidator<T> validator, T input, string field, string messagePart)
    {
        var result = validator.Validate(input);

        Assert.False(result.IsValid);
        Assert.Contains(result.Errors, e => e.PropertyName == field && e.ErrorMessage.Contains(messagePart, StringComparison.Ordinal));
    }
}
