using Bunit;
using LlmTr.Web.Pages.Models;
using LlmTr.Web.Tests.Support;
using Microsoft.AspNetCore.Http;

namespace LlmTr.Web.Tests.ModelPages;

public sealed class ModelPageShould : ModelPageContext
{
    [Fact]
    public void SayATurkeyHostedModelKeepsRequestContentInTurkey()
    {
        var page = RenderModel("llmtr", "llama-70b");

        Assert.Equal("Llama 70B (Turkey)", page.Find("h1").TextContent.Trim());
        Assert.Equal("llmtr/llama-70b", page.Find("code.llmtr-model-id").TextContent);
        var statement = page.Find(".llmtr-hosting").TextContent;
        Assert.Contains("Hosted in Turkey", statement, StringComparison.Ordinal);
        Assert.Contains("request content stays in Turkey", statement, StringComparison.Ordinal);
        Assert.DoesNotContain("abroad", statement, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void DrawEveryHopOfTheDataPathInOrder()
    {
        var page = RenderModel("llmtr", "llama-70b");

        var hops = page.FindAll("ol.llmtr-datapath > li");
        Assert.Equal(["LLMTR gateway", "LLMTR inference"], hops.Select(h => h.QuerySelector(".llmtr-hop-operator")!.TextContent));
        Assert.Equal(["Step 1", "Step 2"], hops.Select(h => h.QuerySelector(".llmtr-hop-step")!.TextContent));
        Assert.Contains("Ankara", hops[1].QuerySelector(".llmtr-hop-country")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("Not retained", hops[1].TextContent, StringComparison.Ordinal);
        Assert.Equal(["Metadata only", "Nothing"], hops.Select(h => h.QuerySelector(".llmtr-hop-keeps")!.TextContent));
    }

    [Fact]
    public void ListModalitiesAndOperationsInWords()
    {
        var page = RenderModel("openai", "gpt-4o");

        Assert.Equal("Text, Image", page.Find(".llmtr-input-modalities").TextContent.Trim());
        Assert.Equal("Text", page.Find(".llmtr-output-modalities").TextContent.Trim());
        Assert.Equal("Chat, Streaming, Tool calling, Structured output", page.Find(".llmtr-operations").TextContent.Trim());
        Assert.Contains("max_tokens", page.Find(".llmtr-parameters").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void ShowThePricesInForceNowWithTheirUnits()
    {
        var page = RenderModel("llmtr", "llama-70b");

        var rows = page.FindAll("table.llmtr-prices tbody tr")
            .Select(row => (row.QuerySelector("th")!.TextContent.Trim(), row.QuerySelector("td")!.TextContent.Trim()));
        // The 2025 price was replaced and the 2027 one is not in force yet.
        Assert.Equal([("Per 1M input tokens", "0.60 USD"), ("Per 1M output tokens", "0.80 USD")], rows);
        Assert.Empty(page.FindAll(".llmtr-free"));
    }

    [Fact]
    public void NameEveryPriceUnitInWords()
    {
        var page = RenderModel("openai", "gpt-4o");

        Assert.Contains("Per 1M cached input tokens", page.Find("table.llmtr-prices").TextContent, StringComparison.Ordinal);
        Assert.Equal("Per 1M input tokens, Per 1M cached input tokens, Per 1M output tokens", page.Find(".llmtr-check-pricing").TextContent.Trim());
    }

    [Fact]
    public void SayWhenAModelIsFree()
    {
        var page = RenderModel("llmtr", "demo");

        Assert.Contains("Free", page.Find(".llmtr-free").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void NameTheCountryAndOperatorOfAModelProcessedAbroad()
    {
        var page = RenderModel("deepseek", "deepseek-v4-flash");

        var statement = page.Find(".llmtr-hosting").TextContent;
        Assert.Contains("Processed abroad", statement, StringComparison.Ordinal);
        Assert.Contains("China (CN)", statement, StringComparison.Ordinal);
        Assert.Contains("DeepSeek", statement, StringComparison.Ordinal);
        Assert.DoesNotContain("Hosted in Turkey", statement, StringComparison.Ordinal);
    }

    [Fact]
    public void FillInTheProductionChecklistForAModelAbroad()
    {
        var page = RenderModel("openai", "gpt-4o");

        Assert.Contains("United States (US)", page.Find(".llmtr-check-geography").TextContent, StringComparison.Ordinal);
        Assert.Equal("POST /v1/chat/completions", page.Find(".llmtr-check-endpoint").TextContent.Trim());
        var regulated = page.Find(".llmtr-check-regulated").TextContent;
        Assert.Contains("evaluate the provider's terms", regulated, StringComparison.Ordinal);
        Assert.Contains("Processed by OpenAI in the United States for up to 30 days.", regulated, StringComparison.Ordinal);
        Assert.Contains("429", page.Find(".llmtr-rate-limit").TextContent, StringComparison.Ordinal);
        Assert.Contains("rate_limit_exceeded", page.Find(".llmtr-rate-limit").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void CallATurkeyHostedModelSuitableWhereDataMustStayInTurkey()
    {
        var page = RenderModel("llmtr", "llama-70b");

        Assert.Contains("data must stay in Turkey", page.Find(".llmtr-check-regulated").TextContent, StringComparison.Ordinal);
        Assert.Empty(page.FindAll(".llmtr-provider-terms"));
    }

    [Fact]
    public void GiveCopyReadyExamplesWithTheModelIdAndThisSitesBaseUrl()
    {
        var page = RenderModel("openai", "gpt-4o");

        var examples = page.FindAll("pre code").Select(code => code.TextContent).ToList();
        Assert.Equal(4, examples.Count);
        Assert.All(examples, example => Assert.Contains("openai/gpt-4o", example, StringComparison.Ordinal));
        Assert.StartsWith("curl http://localhost/v1/chat/completions", examples[0], StringComparison.Ordinal);
        Assert.Contains("base_url=\"http://localhost/v1\"", examples[1], StringComparison.Ordinal);
        Assert.Contains("baseURL: \"http://localhost/v1\"", examples[2], StringComparison.Ordinal);
        Assert.Contains("new ChatClient(", examples[3], StringComparison.Ordinal);
        Assert.Contains("new ApiKeyCredential(", examples[3], StringComparison.Ordinal);
        Assert.Contains("Endpoint = new Uri(\"http://localhost/v1\")", examples[3], StringComparison.Ordinal);
    }

    [Fact]
    public void ShowContextLengthAndMaxOutput()
    {
        var page = RenderModel("llmtr", "llama-70b");

        Assert.Equal("131,072 tokens", page.Find(".llmtr-context-length").TextContent.Trim());
        Assert.Equal("4,096 tokens", page.Find(".llmtr-max-output").TextContent.Trim());
    }

    [Fact]
    public void SpeakTurkishToTurkishVisitors()
    {
        using var turkish = new CultureScope("tr");

        var page = RenderModel("llmtr", "llama-70b");

        Assert.Contains("İstanbul'dan sunulan Llama.", page.Find(".llmtr-description").TextContent, StringComparison.Ordinal);
        Assert.Contains("Türkiye'de barındırılıyor", page.Find(".llmtr-hosting").TextContent, StringComparison.Ordinal);
        Assert.Contains("Türkiye (TR), Ankara", page.FindAll(".llmtr-hop-country")[1].TextContent, StringComparison.Ordinal);
        Assert.Equal([("1M girdi tokenı başına", "0,60 USD"), ("1M çıktı tokenı başına", "0,80 USD")],
            page.FindAll("table.llmtr-prices tbody tr").Select(r => (r.QuerySelector("th")!.TextContent.Trim(), r.QuerySelector("td")!.TextContent.Trim())));
    }

    [Fact]
    public void NameTheCountryAbroadInTurkishToTurkishVisitors()
    {
        using var turkish = new CultureScope("tr");

        var page = RenderModel("deepseek", "deepseek-v4-flash");

        Assert.Contains("Çin (CN)", page.Find(".llmtr-hosting").TextContent, StringComparison.Ordinal);
        Assert.Contains("Yurt dışında işlenir", page.Find(".llmtr-hosting").TextContent, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("nobody", "nothing")]
    [InlineData("llmtr", "private-model")]
    [InlineData("mistral", "mistral-old")]
    public void AnswerNotFoundForUnknownAndUnlistedModels(string provider, string model)
    {
        var http = new DefaultHttpContext();

        var page = RenderModel(provider, model, http);

        Assert.Equal("Model not found", page.Find("h1").TextContent.Trim());
        Assert.Contains($"{provider}/{model}", page.Markup, StringComparison.Ordinal);
        Assert.NotNull(page.Find("a[href='/models']"));
        Assert.Empty(page.FindAll(".llmtr-hosting"));
        Assert.Equal(StatusCodes.Status404NotFound, http.Response.StatusCode);
    }

    [Fact]
    public void LeaveTheStatusAloneForAListedModel()
    {
        var http = new DefaultHttpContext();

        RenderModel("openai", "gpt-4o", http);

        Assert.Equal(StatusCodes.Status200OK, http.Response.StatusCode);
    }

    [Fact]
    public void LinkToTheDocsPagesThatConcernTheModelInTheReadersLanguage()
    {
        var multimodal = RenderModel("openai", "gpt-4o").FindAll(".llmtr-model-docs a").Select(a => a.GetAttribute("href")).ToList();
        var textOnly = RenderModel("llmtr", "llama-70b").FindAll(".llmtr-model-docs a").Select(a => a.GetAttribute("href")).ToList();

        Assert.Contains("/docs/en/chat-completions", multimodal);
        Assert.Contains("/docs/en/data-processing", multimodal);
        Assert.Contains("/docs/en/pricing", multimodal);
        Assert.Contains("/docs/en/multimodal", multimodal);
        Assert.DoesNotContain("/docs/en/multimodal", textOnly);
        Assert.Contains("/docs/en/tools", textOnly);
    }

    private IRenderedComponent<ModelPage> RenderModel(string provider, string model, HttpContext? http = null) =>
        Render<ModelPage>(parameters =>
        {
            parameters.Add(p => p.ProviderSegment, provider).Add(p => p.ModelSegment, model);
            if (http is not null)
            {
                parameters.AddCascadingValue(http);
            }
        });
}
