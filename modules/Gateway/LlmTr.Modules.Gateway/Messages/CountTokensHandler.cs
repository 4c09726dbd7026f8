using LlmTr.Modules.Catalog.Contracts;
using LlmTr.Modules.Gateway.Chat;
using LlmTr.Modules.Gateway.Pipeline;
using LlmTr.Modules.Gateway.Upstream;
using LlmTr.Modules.Keys.Contracts;
using LlmTr.SharedKernel;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace LlmTr.Modules.Gateway.Messages;

/// <summary>
/// POST /v1/messages/count_tokens: the provider's own count of a Messages API request's input, for models whose
/// provider offers one (Anthropic's). The request is checked like a message (model, scope, residency) because its
/// content reaches the provider; counting is free, so no credit is needed and nothing is billed.
/// </summary>
internal sealed class CountTokensHandler(IModelCatalog catalog, ProviderDirectory providers, UpstreamClient upstream, BodyBudget budget, IOptions<GatewayOptions> options)
{
    public async Task HandleAsync(HttpContext http)
    {
        var identity = http.Features.Get<ApiKeyIdentity>() ?? throw new InvalidOperationException("/v1 requires an authenticated key.");
        var format = new MessagesFormat(http, countingTokens: true);
        var requestId = http.TraceIdentifier;
        var answer = new HttpAnswer(http);
        var (body, refused) = await RequestBody.ReadAsync(http, options.Value.MaxRequestBytes, budget);
        if (body is null)
        {
            await format.WriteErrorAsync(answer, refused == RequestBody.Refusal.Busy
                ? RequestBody.Busy(http, budget)
                : GatewayError.Of(ApiErrors.RequestTooLarge, "The request body is larger than the gateway accepts."), requestId);
            return;
        }

        using var held = body;
        using var request = format.Parse(body.Memory, out var invalid);
        if (request is null)
        {
            await format.WriteErrorAsync(answer, invalid!, requestId);
            return;
        }

        var snapshot = catalog.Current;
        var model = snapshot.FindModel(request.Model);
        var provider = model is null ? null : snapshot.FindProvider(model.ProviderId);
        var refusal = model is null
            ? GatewayError.Of(ApiErrors.ModelNotFound, $"The model '{request.Model}' does not exist. GET /v1/models lists the models your key may use.", "model")
            : ChatRelay.Refusal(model, identity, request)
                ?? (provider?.Protocol != ApiProtocol.AnthropicMessages
                    ? GatewayError.Of(ApiErrors.UnsupportedFeature, $"'{model.Id}' offers no token counting: /v1/messages/count_tokens serves models whose provider speaks Anthropic's Messages API.", "model")
                    : null);
        if (refusal is not null)
        {
            await format.WriteErrorAsync(answer, refusal, requestId);
            return;
        }

        var settings = providers.For(provider!);
        var native = new NativeMessages(format);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted);
        deadline.CancelAfter(settings.Timeout);
        HttpResponseMessage response;
        try
        {
            response = await upstream.SendAsync(() => native.Create(settings, "messages/count_tokens", format.UpstreamBody(model!.UpstreamName), stream: false), deadline.Token);
        }
        catch (HttpRequestException)
        {
            await format.WriteErrorAsync(answer, UpstreamFailures.Unreachable(model!), requestId);
            return;
        }
        catch (OperationCanceledException) when (!http.RequestAborted.IsCancellationRequested)
        {
            await format.WriteErrorAsync(answer, UpstreamFailures.TimedOut(model!, settings.Timeout), requestId);
            return;
        }

        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(deadline.Token);
            if (!response.IsSuccessStatusCode)
            {
                string? message = null;
                try
                {
                    using var document = System.Text.Json.JsonDocument.Parse(text);
                    message = Protocols.ChatProtocol.OpenAiErrorMessage(document.RootElement);
                }
                catch (System.Text.Json.JsonException)
                {
                    // No readable body: the status alone decides.
                }

                var secrets = new[] { settings.ApiKey ?? "", settings.BaseUrl.Host, settings.BaseUrl.AbsoluteUri.TrimEnd('/') };
                await format.WriteErrorAsync(answer, UpstreamFailures.FromStatus(model!, response.StatusCode, message, secrets), requestId);
                return;
            }

            http.Response.StatusCode = StatusCodes.Status200OK;
            http.Response.ContentType = "application/json";
            await http.Response.WriteAsync(text, http.RequestAborted);
        }
    }
}
