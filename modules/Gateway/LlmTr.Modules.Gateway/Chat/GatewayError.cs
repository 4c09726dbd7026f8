using LlmTr.SharedKernel;

namespace LlmTr.Modules.Gateway.Chat;

/// <summary>
/// An OpenAI-style error the gateway answers with, and its HTTP status. Made only from one of the public
/// <see cref="ApiErrors"/>, so every error the gateway can send is one the documentation lists.
/// </summary>
internal sealed class GatewayError
{
    private GatewayError(int status, OpenAiError error, string? summary = null)
    {
        Status = status;
        Error = error;
        Summary = summary ?? error.Message;
    }

    public int Status { get; }

    public OpenAiError Error { get; }

    /// <summary>
    /// The gateway's own words for the error, what the request's usage row keeps: the message, less any provider's
    /// words it quotes (a provider may echo what the user sent, and rows hold metadata only).
    /// </summary>
    public string Summary { get; }

    /// <summary>An error whose message quotes a provider's words after the gateway's own; the usage row keeps only the latter.</summary>
    public static GatewayError Quoting(ApiErrorDefinition definition, string gatewayMessage, string providerWords) =>
        new(definition.Status, definition.With($"{gatewayMessage}: {providerWords}", null), gatewayMessage + ".");

    public static GatewayError Of(ApiErrorDefinition definition, string message, string? param = null) =>
        new(definition.Status, definition.With(message, param));

    /// <summary>A field of the request is wrong; <paramref name="param"/> names it.</summary>
    public static GatewayError Invalid(string message, string? param) => Of(ApiErrors.InvalidParameter, message, param);

    public static GatewayError Internal(string requestId) =>
        Of(ApiErrors.InternalError, $"The gateway failed while handling your request. Quote request id {requestId} if you contact support.");
}
