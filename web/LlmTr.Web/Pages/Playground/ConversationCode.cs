using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using LlmTr.Modules.Gateway.Contracts;

namespace LlmTr.Web.Pages.Playground;

/// <summary>
/// The playground's conversation as the API call that would reproduce it: the same body the playground sends through the
/// gateway, with the user's own key read from <c>LLMTR_API_KEY</c> (never a real key on the page).
/// </summary>
internal static class ConversationCode
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Body(PlaygroundRequest request)
    {
        var body = new Dictionary<string, object>
        {
            ["model"] = request.Model,
            ["messages"] = request.Messages.Select(m => new Dictionary<string, string> { ["role"] = m.Role, ["content"] = m.Content }).ToList(),
        };
        if (request.Temperature is { } temperature)
        {
            body["temperature"] = temperature;
        }

        if (request.MaxTokens is { } maxTokens)
        {
            body["max_tokens"] = maxTokens;
        }

        body["stream"] = true;
        return JsonSerializer.Serialize(body, Indented);
    }

    public static string Curl(string baseUrl, PlaygroundRequest request) =>
        $"""
        curl {baseUrl}/chat/completions \
          -H "Authorization: Bearer $LLMTR_API_KEY" \
          -H "Content-Type: application/json" \
          -d '{Body(request).Replace("'", "'\\''", StringComparison.Ordinal)}'
        """;

    public static string Python(string baseUrl, PlaygroundRequest request)
    {
        var code = new StringBuilder();
        code.AppendLine("import os");
        code.AppendLine("from openai import OpenAI");
        code.AppendLine();
        code.AppendLine(CultureInfo.InvariantCulture, $"client = OpenAI(base_url=\"{baseUrl}\", api_key=os.environ[\"LLMTR_API_KEY\"])");
        code.AppendLine("stream = client.chat.completions.create(");
        code.AppendLine(CultureInfo.InvariantCulture, $"    model={Quote(request.Model)},");
        code.AppendLine("    messages=[");
        foreach (var message in request.Messages)
        {
            code.AppendLine(CultureInfo.InvariantCulture, $"        {{\"role\": {Quote(message.Role)}, \"content\": {Quote(message.Content)}}},");
        }

        code.AppendLine("    ],");
        if (request.Temperature is { } temperature)
        {
            code.AppendLine(CultureInfo.InvariantCulture, $"    temperature={temperature.ToString(CultureInfo.InvariantCulture)},");
        }

        if (request.MaxTokens is { } maxTokens)
        {
            code.AppendLine(CultureInfo.InvariantCulture, $"    max_tokens={maxTokens.ToString(CultureInfo.InvariantCulture)},");
        }

        code.AppendLine("    stream=True,");
        code.AppendLine(")");
        code.AppendLine("for chunk in stream:");
        code.Append("    print(chunk.choices[0].delta.content or \"\", end=\"\") if chunk.choices else None");
        return code.ToString();
    }

    public static string JavaScript(string baseUrl, PlaygroundRequest request)
    {
        var code = new StringBuilder();
        code.AppendLine("import OpenAI from \"openai\";");
        code.AppendLine();
        code.AppendLine(CultureInfo.InvariantCulture, $"const client = new OpenAI({{ baseURL: {Quote(baseUrl)}, apiKey: process.env.LLMTR_API_KEY }});");
        code.AppendLine("const stream = await client.chat.completions.create({");
        code.AppendLine(CultureInfo.InvariantCulture, $"  model: {Quote(request.Model)},");
        code.AppendLine("  messages: [");
        foreach (var message in request.Messages)
        {
            code.AppendLine(CultureInfo.InvariantCulture, $"    {{ role: {Quote(message.Role)}, content: {Quote(message.Content)} }},");
        }

        code.AppendLine("  ],");
        if (request.Temperature is { } temperature)
        {
            code.AppendLine(CultureInfo.InvariantCulture, $"  temperature: {temperature.ToString(CultureInfo.InvariantCulture)},");
        }

        if (request.MaxTokens is { } maxTokens)
        {
            code.AppendLine(CultureInfo.InvariantCulture, $"  max_tokens: {maxTokens.ToString(CultureInfo.InvariantCulture)},");
        }

        code.AppendLine("  stream: true,");
        code.AppendLine("});");
        code.AppendLine("for await (const chunk of stream) {");
        code.AppendLine("  process.stdout.write(chunk.choices[0]?.delta?.content ?? \"\");");
        code.Append('}');
        return code.ToString();
    }

    /// <summary>The official OpenAI .NET library (<c>OpenAI</c> on NuGet), pointed at this site's <c>/v1</c>.</summary>
    public static string CSharp(string baseUrl, PlaygroundRequest request)
    {
        var code = new StringBuilder();
        code.AppendLine("using System.ClientModel;");
        code.AppendLine("using OpenAI;");
        code.AppendLine("using OpenAI.Chat;");
        code.AppendLine();
        code.AppendLine("var client = new ChatClient(");
        code.AppendLine(CultureInfo.InvariantCulture, $"    model: {Quote(request.Model)},");
        code.AppendLine("    credential: new ApiKeyCredential(Environment.GetEnvironmentVariable(\"LLMTR_API_KEY\")!),");
        code.AppendLine(CultureInfo.InvariantCulture, $"    options: new OpenAIClientOptions {{ Endpoint = new Uri({Quote(baseUrl)}) }});");
        code.AppendLine();
        code.AppendLine("List<ChatMessage> messages =");
        code.AppendLine("[");
        foreach (var message in request.Messages)
        {
            var type = message.Role switch
            {
                "system" => "SystemChatMessage",
                "assistant" => "AssistantChatMessage",
                _ => "UserChatMessage",
            };
            code.AppendLine(CultureInfo.InvariantCulture, $"    new {type}({Quote(message.Content)}),");
        }

        code.AppendLine("];");
        var settings = new List<string>();
        if (request.Temperature is { } temperature)
        {
            settings.Add($"Temperature = {temperature.ToString(CultureInfo.InvariantCulture)}f");
        }

        if (request.MaxTokens is { } maxTokens)
        {
            settings.Add($"MaxOutputTokenCount = {maxTokens.ToString(CultureInfo.InvariantCulture)}");
        }

        code.AppendLine(CultureInfo.InvariantCulture, $"var options = new ChatCompletionOptions {{ {string.Join(", ", settings)}{(settings.Count > 0 ? " " : "")}}};");
        code.AppendLine("await foreach (var update in client.CompleteChatStreamingAsync(messages, options))");
        code.AppendLine("{");
        code.AppendLine("    foreach (var part in update.ContentUpdate)");
        code.AppendLine("    {");
        code.AppendLine("        Console.Write(part.Text);");
        code.AppendLine("    }");
        code.Append('}');
        return code.ToString();
    }

    /// <summary>
    /// A JSON string literal is also a valid string literal for text in Python, JavaScript and C# (escapes included;
    /// non-ASCII characters stay as they are, which all three read).
    /// </summary>
    private static string Quote(string text) => JsonSerializer.Serialize(text, Indented);
}
