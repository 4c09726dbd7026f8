using System.Text.Json;
using LlmTr.Modules.Billing.Contracts;
using Microsoft.AspNetCore.Http;

using LlmTr.Modules.Gateway.Pipeline;

namespace LlmTr.Modules.Gateway.Media;

/// <summary>An answer written as one JSON object from the upstream document it was read from (disposed once written).</summary>
internal sealed class JsonAnswer(JsonDocument? document, UsageCounts usage, Action<Utf8JsonWriter, MediaCall, UsageCharge> writeMembers) : MediaAnswer
{
    public override UsageCounts Usage => usage;

    public override async Task WriteAsync(AnswerTarget response, MediaCall call, UsageCharge charge, CancellationToken cancellationToken)
    {
        try
        {
            response.ContentType = "application/json";
            using (var writer = new Utf8JsonWriter(response.BodyWriter))
            {
                writer.WriteStartObject();
                writeMembers(writer, call, charge);
                writer.WriteEndObject();
            }

            await response.BodyWriter.FlushAsync(cancellationToken);
        }
        finally
        {
            document?.Dispose();
        }
    }
}
