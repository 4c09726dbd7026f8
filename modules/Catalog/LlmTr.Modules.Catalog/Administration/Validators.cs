using System.Text.RegularExpressions;
using FluentValidation;
using LlmTr.Modules.Catalog.Contracts;

namespace LlmTr.Modules.Catalog.Administration;

internal static partial class CatalogRules
{
    /// <summary>Lowercase provider slug: what stands before the slash of a model ID.</summary>
    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,39}$")]
    public static partial Regex ProviderId();

    /// <summary><c>provider/model</c>, lowercase; the model part may carry dots, dashes, underscores and colons.</summary>
    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,39}/[a-z0-9][a-z0-9._:-]{0,79}$")]
    public static partial Regex ModelId();

    [GeneratedRegex("^[A-Z]{2}$")]
    public static partial Regex CountryCode();

    public static bool IsEnumName<TEnum>(string? value)
        where TEnum : struct, Enum =>
        value is not null && Enum.TryParse<TEnum>(value, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed) && !int.TryParse(value, out _);

    /// <summary>A deployment's name, or a provider account's id: lowercase letters, digits, dots, dashes and underscores.</summary>
    [GeneratedRegex("^[a-z0-9][a-z0-9._-]{0,39}$")]
    public static partial Regex Slug();

    public static bool IsAzure(string? protocol) => string.Equals(protocol, nameof(ApiProtocol.AzureOpenAi), StringComparison.OrdinalIgnoreCase);

    public static bool IsHttpUrl(string? url) => Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http";

    public static string Names<TEnum>()
        where TEnum : struct, Enum => string.Join(", ", Enum.GetNames<TEnum>());
}

internal sealed class ProviderInputValidator : AbstractValidator<ProviderInput>
{
    public ProviderInputValidator()
    {
        RuleFor(p => p.Id).NotEmpty().WithMessage("Enter the provider id.")
            .Matches(CatalogRules.ProviderId()).WithMessage("Use lowercase letters, digits and dashes (for example openai), at most 40.");
        RuleFor(p => p.DisplayName).NotEmpty().WithMessage("Enter the name people see.").MaximumLength(100);
        RuleFor(p => p.Protocol).Must(protocol => CatalogRules.IsEnumName<ApiProtocol>(protocol) && !CatalogRules.IsAzure(protocol))
            .WithMessage(p => CatalogRules.IsAzure(p.Protocol)
                ? "Azure OpenAI is a deployment's protocol: add the provider with OpenAi, and its Azure deployments under its models."
                : $"Unknown protocol '{p.Protocol}': use one of OpenAi, AnthropicMessages, Gemini.");
        RuleFor(p => p.BaseUrl).Must(CatalogRules.IsHttpUrl).WithMessage("Enter an absolute http(s) URL.");
        RuleFor(p => p.Country).Matches(CatalogRules.CountryCode()).WithMessage("Use the two-letter country code in capitals (TR, US, DE).");
        RuleFor(p => p.DataHandlingEn).NotEmpty().WithMessage("Say how this provider handles data, in English.");
        RuleFor(p => p.DataHandlingTr).NotEmpty().WithMessage("Say how this provider handles data, in Turkish.");
        RuleFor(p => p.Status).Must(CatalogRules.IsEnumName<ProviderStatus>)
            .WithMessage(p => $"Unknown status '{p.Status}': use one of {CatalogRules.Names<ProviderStatus>()}.");
        RuleFor(p => p.SpeaksResponsesApi).Equal(false).When(p => !string.Equals(p.Protocol, nameof(ApiProtocol.OpenAi), StringComparison.OrdinalIgnoreCase))
            .WithMessage("Only a provider speaking the OpenAI protocol can serve OpenAI's Responses API.");
    }
}

internal sealed class ModelInputValidator : AbstractValidator<ModelInput>
{
    public ModelInputValidator()
    {
        RuleFor(m => m.Id).NotEmpty().WithMessage("Enter the model id.")
            .Matches(CatalogRules.ModelId()).WithMessage("Use provider/model in lowercase (for example openai/gpt-4o).");
        RuleFor(m => m.UpstreamName).NotEmpty().WithMessage("Enter the name the provider knows this model by.").MaximumLength(120);
        RuleFor(m => m.DisplayName).NotEmpty().WithMessage("Enter the name people see.").MaximumLength(120);
        RuleFor(m => m.DescriptionEn).NotEmpty().WithMessage("Describe the model in English.");
        RuleFor(m => m.DescriptionTr).NotEmpty().WithMessage("Describe the model in Turkish.");
        RuleFor(m => m.ContextLength).GreaterThan(0).WithMessage("The context length must be more than zero tokens.");
        RuleFor(m => m.MaxOutputTokens).GreaterThan(0).When(m => m.MaxOutputTokens is not null)
            .WithMessage("The output limit must be more than zero tokens.");
        RuleFor(m => m.MaxOutputTokens).LessThanOrEqualTo(m => m.ContextLength).When(m => m.MaxOutputTokens is not null)
            .WithMessage("The output limit cannot exceed the context length.");
        RuleFor(m => m.InputModalities).NotEmpty().WithMessage("Choose at least one input modality.")
            .Must(all => all.All(Modalities.Input.Contains)).WithMessage($"Input modalities are {string.Join(", ", Modalities.Input)}.");
        RuleFor(m => m.OutputModalities).NotEmpty().WithMessage("Choose at least one output modality.")
            .Must(all => all.All(Modalities.Output.Contains)).WithMessage($"Output modalities are {string.Join(", ", Modalities.Output)}.");
        RuleFor(m => m.Operations).NotEmpty().WithMessage("Choose at least one operation.")
            .Must(all => all.All(Operations.All.Contains)).WithMessage($"Operations are {string.Join(", ", Operations.All)}.");
        RuleFor(m => m.Status).Must(CatalogRules.IsEnumName<ModelStatus>)
            .WithMessage(m => $"Unknown status '{m.Status}': use one of {CatalogRules.Names<ModelStatus>()}.");
        RuleFor(m => m.Visibility).Must(CatalogRules.IsEnumName<ModelVisibility>)
            .WithMessage(m => $"Unknown visibility '{m.Visibility}': use one of {CatalogRules.Names<ModelVisibility>()}.");
        RuleForEach(m => m.FallbackModelIds).Matches(CatalogRules.ModelId()).WithMessage("Fallbacks are model ids (provider/model).");
        RuleFor(m => m.FallbackModelIds).Must((m, fallbacks) => !fallbacks.Contains(m.Id)).WithMessage("A model cannot fall back to itself.");
        RuleFor(m => m.DataPath).NotEmpty().WithMessage("Describe the data path: at least the gateway and where the model runs.");
        RuleForEach(m => m.DataPath).SetValidator(new DataPathHopValidator());
    }
}

internal sealed class DataPathHopValidator : AbstractValidator<DataPathHop>
{
    public DataPathHopValidator()
    {
        RuleFor(h => h.Operator).NotEmpty().WithMessage("Name who operates this hop.");
        RuleFor(h => h.Country).Matches(CatalogRules.CountryCode()).WithMessage("Use the two-letter country code in capitals.");
        RuleFor(h => h.Purpose).NotEmpty().WithMessage("Say what this hop does with the request.");
        RuleFor(h => h.Retention).NotEmpty().WithMessage("Say what this hop keeps, and for how long.");
        RuleFor(h => h.Keeps).IsInEnum().WithMessage("Choose what this hop keeps: nothing, metadata only, or content.");
    }
}

internal sealed class DeploymentInputValidator : AbstractValidator<DeploymentInput>
{
    public DeploymentInputValidator()
    {
        RuleFor(d => d.ModelId).Matches(CatalogRules.ModelId()).WithMessage("Use provider/model in lowercase.");
        RuleFor(d => d.Name).Matches(CatalogRules.Slug())
            .WithMessage("Use lowercase letters, digits, dots, dashes and underscores (for example azure-sweden), at most 40.");
        RuleFor(d => d.AccountId).Matches(CatalogRules.Slug()).WithMessage("Choose the provider account whose credential this deployment uses.");
        RuleFor(d => d.Protocol).Must(protocol => protocol.Length == 0 || CatalogRules.IsEnumName<ApiProtocol>(protocol))
            .WithMessage(d => $"Unknown protocol '{d.Protocol}': use one of {CatalogRules.Names<ApiProtocol>()}, or leave it empty for the provider's.");
        RuleFor(d => d.BaseUrl).Must(url => url.Length == 0 || CatalogRules.IsHttpUrl(url))
            .WithMessage("Enter an absolute http(s) URL, or leave it empty for the provider's.");
        RuleFor(d => d.UpstreamName).MaximumLength(120);
        RuleFor(d => d.Region).MaximumLength(60);
        RuleFor(d => d.Weight).InclusiveBetween(0, 1000).WithMessage("The weight is a share from 0 to 1000 (0 takes traffic only when no other deployment can).");
        RuleFor(d => d.Status).Must(CatalogRules.IsEnumName<DeploymentStatus>)
            .WithMessage(d => $"Unknown status '{d.Status}': use one of {CatalogRules.Names<DeploymentStatus>()}.");
        RuleFor(d => d.SpeaksResponsesApi).Equal(false)
            .When(d => d.Protocol.Length > 0 && !string.Equals(d.Protocol, nameof(ApiProtocol.OpenAi), StringComparison.OrdinalIgnoreCase) && !CatalogRules.IsAzure(d.Protocol))
            .WithMessage("Only a deployment speaking the OpenAI protocol (or Azure OpenAI's) can serve OpenAI's Responses API.");
        RuleFor(d => d.Position).InclusiveBetween(0, 1000);
        RuleForEach(d => d.DataPath).SetValidator(new DataPathHopValidator());
    }
}

internal sealed class AccountInputValidator : AbstractValidator<AccountInput>
{
    public AccountInputValidator()
    {
        RuleFor(a => a.Id).Matches(CatalogRules.Slug())
            .WithMessage("Use lowercase letters, digits, dots, dashes and underscores (for example azure-sweden), at most 40.");
        RuleFor(a => a.DisplayName).NotEmpty().WithMessage("Enter the name people see.").MaximumLength(100);
    }
}

internal sealed class PriceInputValidator : AbstractValidator<PriceInput>
{
    public PriceInputValidator()
    {
        RuleFor(p => p.ModelId).Matches(CatalogRules.ModelId()).WithMessage("Use provider/model in lowercase.");
        RuleFor(p => p.Unit).Must(CatalogRules.IsEnumName<PriceUnit>)
            .WithMessage(p => $"Unknown price unit '{(p.Unit is { Length: > 40 } unit ? unit[..40] + "…" : p.Unit)}': choose one of the units the price editor lists.");
        RuleFor(p => p.Amount).GreaterThanOrEqualTo(0).WithMessage("A price cannot be negative.")
            .LessThan(1_000_000).WithMessage("That price is too large to be real.")
            .Must(amount => decimal.Round(amount, 8) == amount).WithMessage("Use at most 8 decimal places.");
        RuleFor(p => p.EffectiveFrom).NotEqual(default(DateTimeOffset)).WithMessage("Say from when the price applies.");
        When(p => !string.IsNullOrWhiteSpace(p.Variant), () =>
        {
            RuleFor(p => p.Variant).Must((p, _) => string.Equals(p.Unit, nameof(PriceUnit.Image), StringComparison.OrdinalIgnoreCase))
                .WithMessage("Only an image price can name a size and quality; leave the variant empty for this unit.");
            RuleFor(p => p.Variant!).Must(v => PriceVariants.IsImageVariant(v.Trim()))
                .When(p => string.Equals(p.Unit, nameof(PriceUnit.Image), StringComparison.OrdinalIgnoreCase))
                .WithMessage($"Write the size as WIDTHxHEIGHT, optionally with a quality: 1024x1024 or 1024x1024/high (qualities: {string.Join(", ", PriceVariants.ImageQualities)}).");
        });
    }
}
