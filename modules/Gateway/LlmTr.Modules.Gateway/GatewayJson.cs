using System.Text.Json.Serialization;
using LlmTr.SharedKernel;

namespace LlmTr.Modules.Gateway;

/// <summary>The gateway's own JSON, serialised without reflection.</summary>
[JsonSerializable(typeof(OpenAiErrorResponse))]
[JsonSerializable(typeof(AnthropicErrorResponse))]
internal sealed partial class GatewayJson : JsonSerializerContext;
