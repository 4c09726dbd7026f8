namespace LlmTr.Web.ModelPages;

/// <summary>Copy-ready calls of one model through this site's OpenAI-compatible API.</summary>
internal static class CodeExamples
{
    public static string Curl(string baseUrl, string modelId) => $$"""
        curl {{baseUrl}}/chat/completions \
          -H "Authorization: Bearer $LLMTR_API_KEY" \
          -H "Content-Type: application/json" \
          -d '{"model": "{{modelId}}", "messages": [{"role": "user", "content": "Merhaba!"}]}'
        """;

    public static string Python(string baseUrl, string modelId) => $$"""
        import os
        from openai import OpenAI

        client = OpenAI(base_url="{{baseUrl}}", api_key=os.environ["LLMTR_API_KEY"])
        completion = client.chat.completions.create(
            model="{{modelId}}",
            messages=[{"role": "user", "content": "Merhaba!"}],
        )
        print(completion.choices[0].message.content)
        """;

    public static string JavaScript(string baseUrl, string modelId) => $$"""
        import OpenAI from "openai";

        const client = new OpenAI({ baseURL: "{{baseUrl}}", apiKey: process.env.LLMTR_API_KEY });
        const completion = await client.chat.completions.create({
          model: "{{modelId}}",
          messages: [{ role: "user", content: "Merhaba!" }],
        });
        console.log(completion.choices[0].message.content);
        """;

    public static string CSharp(string baseUrl, string modelId) => $$"""
        using System.ClientModel;
        using OpenAI;
        using OpenAI.Chat;

        var client = new ChatClient(
            model: "{{modelId}}",
            credential: new ApiKeyCredential(Environment.GetEnvironmentVariable("LLMTR_API_KEY")!),
            options: new OpenAIClientOptions { Endpoint = new Uri("{{baseUrl}}") });
        ChatCompletion completion = client.CompleteChat("Merhaba!");
        Console.WriteLine(completion.Content[0].Text);
        """;
}
