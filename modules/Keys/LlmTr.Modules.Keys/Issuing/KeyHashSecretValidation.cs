using Microsoft.Extensions.Options;

namespace LlmTr.Modules.Keys.Issuing;

/// <summary>
/// Checks the hash secret with the module's options at start: without it a host would report ready and then answer every
/// keyed /v1 request with a 500, so it must not start at all.
/// </summary>
internal sealed class KeyHashSecretValidation(KeyHashSecret secret) : IValidateOptions<KeysOptions>
{
    public ValidateOptionsResult Validate(string? name, KeysOptions options) =>
        secret.Problem is { } problem ? ValidateOptionsResult.Fail(problem) : ValidateOptionsResult.Success;
}
