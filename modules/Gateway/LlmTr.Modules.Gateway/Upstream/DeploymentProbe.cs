using LlmTr.Modules.Catalog.Contracts;
using LlmTr.Modules.Gateway.Contracts;
using LlmTr.Modules.Gateway.Protocols;
using LlmTr.Modules.Gateway.Protocols.Anthropic;

namespace LlmTr.Modules.Gateway.Upstream;

/// <summary>
/// Lists the provider's models with a deployment's settings (<c>GET {base}/models</c> for OpenAI-compatible and Azure
/// OpenAI, <c>{base}/v1/models</c> with <c>anthropic-version</c> for Anthropic, <c>{base}/v1beta/models</c> for Gemini):
/// free, harmless, and refused exactly when the credential or address is wrong. It goes through the same pooled client
/// and credential header as traffic, but never through the pipeline: it is no request of a user's (no key, no credit,
/// no usage row) and its answer is read for its status alone; the provider's body is never shown.
/// </summary>
internal sealed class DeploymentProbe(IModelCatalog catalog, ProviderDirectory directory, UpstreamClient client, TimeProvider time) : IDeploymentProbe
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    public async Task<ProbeResult> TestAsync(string modelId, string deploymentName, CancellationToken cancellationToken = default)
    {
        var model = catalog.Current.FindModel(modelId);
        var deployment = model?.Deployments.FirstOrDefault(d => string.Equals(d.Name, deploymentName, StringComparison.Ordinal));
        if (model is null || deployment is null)
        {
            return new ProbeResult(false, null, TimeSpan.Zero, $"There is no deployment '{deploymentName}' of model '{modelId}'.");
        }

        var settings = directory.For(deployment, model.ProviderId);
        if (settings.ApiKey is not { Length: > 0 })
        {
            return new ProbeResult(false, null, TimeSpan.Zero, $"The account '{deployment.AccountId}' has no credential: set one first.");
        }

        var started = time.GetTimestamp();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        try
        {
            using var response = await client.SendAsync(() => Request(settings), timeout.Token);
            var status = (int)response.StatusCode;
            return new ProbeResult(response.IsSuccessStatusCode, status, time.GetElapsedTime(started), Describe(status, deployment.AccountId));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new ProbeResult(false, null, time.GetElapsedTime(started),
                $"The provider did not answer within {Timeout.TotalSeconds:0} seconds: check the deployment's address and this host's network.");
        }
        catch (HttpRequestException)
        {
            return new ProbeResult(false, null, time.GetElapsedTime(started),
                "The provider cannot be reached at the deployment's address: check the address and this host's network.");
        }
    }

    private static HttpRequestMessage Request(ProviderSettings settings)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, settings.Resolve(ModelsPath(settings)));
        settings.Authorize(request);
        if (settings.Protocol == ApiProtocol.AnthropicMessages)
        {
            request.Headers.TryAddWithoutValidation("anthropic-version", AnthropicProtocol.ApiVersion);
        }

        return request;
    }

    /// <summary>The models list under the base URL, which for Anthropic and Gemini may or may not name the API's version already.</summary>
    private static string ModelsPath(ProviderSettings settings)
    {
        var basePath = settings.BaseUrl.AbsolutePath.TrimEnd('/');
        return settings.Protocol switch
        {
            ApiProtocol.AnthropicMessages => basePath.EndsWith("/v1", StringComparison.Ordinal) ? "models" : "v1/models",
            ApiProtocol.Gemini => basePath.EndsWith("/v1beta", StringComparison.Ordinal) || basePath.EndsWith("/v1", StringComparison.Ordinal) ? "models" : "v1beta/models",
            _ => "models",
        };
    }

    private static string Describe(int status, string accountId) => status switch
    {
        >= 200 and < 300 => "The connection works: the provider accepted the credential.",
        401 or 403 => $"The provider refused the credential of account '{accountId}': set a valid one.",
        404 => "The provider has nothing at the deployment's address: check its base URL.",
        429 => "The provider is limiting requests right now; the credential may be fine, try again later.",
        >= 500 => $"The provider failed (HTTP {status}); try again later.",
        _ => $"The provider answered HTTP {status}.",
    };
}
