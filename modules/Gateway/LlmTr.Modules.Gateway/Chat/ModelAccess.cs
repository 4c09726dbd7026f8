using LlmTr.Modules.Catalog.Contracts;
using LlmTr.Modules.Keys.Contracts;
using LlmTr.SharedKernel;

namespace LlmTr.Modules.Gateway.Chat;

/// <summary>
/// Whether a key may call a model at all, whatever the endpoint: the model must be public and enabled, and inside the
/// key's scope. Shared by chat and the other /v1 endpoints so every endpoint refuses the same way.
/// </summary>
internal static class ModelAccess
{
    public static GatewayError NotFound(string requested) =>
        GatewayError.Of(ApiErrors.ModelNotFound, $"The model '{requested}' does not exist. Model ids look like 'openai/gpt-4o'; GET /v1/models lists the models your key may use.", "model");

    /// <summary>Why this key may not use this model, or null.</summary>
    public static GatewayError? Refusal(CatalogModel model, ApiKeyIdentity identity)
    {
        if (model.ProviderDisabled || model.Visibility != ModelVisibility.Public || model.Status == ModelStatus.Disabled)
        {
            return GatewayError.Of(ApiErrors.ModelNotAvailable, $"The model '{model.Id}' is not available: it is {(model.Status == ModelStatus.Disabled || model.ProviderDisabled ? "disabled" : "private")}.", "model");
        }

        return identity.Denial(model.Id, model.HostedInTurkey, model.RetainsNothing) is { } denial
            ? GatewayError.Of(ApiErrors.ModelNotAllowed, denial, "model")
            : null;
    }
}
