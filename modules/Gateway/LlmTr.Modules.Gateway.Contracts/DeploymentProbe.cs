namespace LlmTr.Modules.Gateway.Contracts;

/// <summary>
/// Tests a deployment's connection for an admin: one free call (listing the provider's models) with the deployment's
/// address, protocol and credential, so a wrong key or address shows before traffic reaches it.
/// </summary>
public interface IDeploymentProbe
{
    Task<ProbeResult> TestAsync(string modelId, string deploymentName, CancellationToken cancellationToken = default);
}

/// <param name="Status">The provider's HTTP status, or null when it could not be reached.</param>
/// <param name="Message">What happened, in words an admin can act on; never the credential or anything the provider said about it.</param>
public sealed record ProbeResult(bool Succeeded, int? Status, TimeSpan Elapsed, string Message);
