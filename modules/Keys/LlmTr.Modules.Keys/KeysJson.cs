using System.Text.Json.Serialization;
using LlmTr.SharedKernel;

namespace LlmTr.Modules.Keys;

/// <summary>The keys module's /v1 answers (401, 429), serialised without reflection.</summary>
[JsonSerializable(typeof(OpenAiErrorResponse))]
[JsonSerializable(typeof(AnthropicErrorResponse))]
internal sealed partial class KeysJson : JsonSerializerContext;
