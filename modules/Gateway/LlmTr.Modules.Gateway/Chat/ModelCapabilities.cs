using System.Text.Json;
using LlmTr.Modules.Catalog.Contracts;
using LlmTr.SharedKernel;

namespace LlmTr.Modules.Gateway.Chat;

/// <summary>
/// What a request needs of a model (operations, input and output modalities), checked against the catalog before any
/// upstream call: a model that lacks one gets a 400 naming what is missing and which model lacks it.
/// </summary>
internal static class ModelCapabilities
{
    public static GatewayError? Check(ChatRequest request, CatalogModel model)
    {
        if (!model.Operations.Contains(Operations.Chat))
        {
            return Unsupported(model, "chat completions", "model");
        }

        if (request.Stream && !model.Operations.Contains(Operations.Streaming))
        {
            return Unsupported(model, "streaming", "stream");
        }

        if (request.Property("tools") is { ValueKind: JsonValueKind.Array } tools)
        {
            foreach (var tool in tools.EnumerateArray())
            {
                var type = tool.GetProperty("type").GetString();
                if (type == "function" && !model.Operations.Contains(Operations.Tools))
                {
                    return Unsupported(model, "tools (function calling)", "tools");
                }

                if (type == "web_search" && !model.Operations.Contains(Operations.WebSearch))
                {
                    return Unsupported(model, "web search", "tools");
                }
            }
        }

        if (request.Property("response_format") is { } format && format.GetProperty("type").GetString() is { } kind)
        {
            if (kind == "json_object" && !model.Operations.Contains(Operations.JsonMode) && !model.Operations.Contains(Operations.StructuredOutput))
            {
                return Unsupported(model, "JSON mode (response_format json_object)", "response_format");
            }

            if (kind == "json_schema" && !model.Operations.Contains(Operations.StructuredOutput))
            {
                return Unsupported(model, "structured output (response_format json_schema)", "response_format");
            }
        }

        if (request.Property("modalities") is { ValueKind: JsonValueKind.Array } outputs)
        {
            foreach (var output in outputs.EnumerateArray())
            {
                if (output.GetString() is { } modality && !model.OutputModalities.Contains(modality))
                {
                    return Unsupported(model, $"{modality} output", "modalities");
                }
            }
        }

        return InputParts(request, model);
    }

    private static GatewayError? InputParts(ChatRequest request, CatalogModel model)
    {
        var index = 0;
        foreach (var message in request.Messages.EnumerateArray())
        {
            if (message.TryGetProperty("content", out var content) && content.ValueKind == JsonValueKind.Array)
            {
                var part = 0;
                foreach (var item in content.EnumerateArray())
                {
                    var needs = item.GetProperty("type").GetString() switch
                    {
                        "image_url" => Modalities.Image,
                        "input_audio" => Modalities.Audio,
                        "file" => Modalities.File,
                        _ => null,
                    };
                    if (needs is not null && !model.InputModalities.Contains(needs))
                    {
                        return Unsupported(model, $"{needs} input", $"messages[{index}].content[{part}]");
                    }

                    part++;
                }
            }

            index++;
        }

        return null;
    }

    public static GatewayError Unsupported(CatalogModel model, string what, string param) =>
        GatewayError.Of(ApiErrors.UnsupportedFeature, $"The model '{model.Id}' does not support {what}. See GET /api/models for each model's operations and modalities.", param);
}
