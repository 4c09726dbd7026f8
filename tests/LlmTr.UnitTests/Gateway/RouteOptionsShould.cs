using System.Text.Json;
using LlmTr.Modules.Gateway.Chat;
using LlmTr.Modules.Gateway.Messages;
using LlmTr.Modules.Gateway.Responses;
using LlmTr.SharedKernel;

namespace LlmTr.UnitTests.Gateway;

/// <summary>
/// A request's routing options (<c>llmtr.models</c>, <c>llmtr.provider</c>, or the same in the <c>x-llmtr-route</c>
/// header): what a valid request asks for, and the exact field a 400 names for each way of getting them wrong.
/// </summary>
public sealed class RouteOptionsShould
{
    [Fact]
    public void ReadEveryOptionFromTheBody()
    {
        var route = Of("""
            {"residency":"TR","models":["openai/gpt-4o","llmtr/llama-3.3-70b"],
             "provider":{"order":["azure-tr","openai"],"only":["azure-tr","openai","turkcell"],"ignore":["mimo"],"allow_fallbacks":false,"sort":"latency"}}
            """, header: null);

        Assert.Equal(new RouteOptions(["openai/gpt-4o", "llmtr/llama-3.3-70b"], ["azure-tr", "openai"], ["azure-tr", "openai", "turkcell"], ["mimo"], false, RouteSort.Latency), route);
    }

    [Fact]
    public void ReadEveryOptionFromTheHeader()
    {
        const string Header = """{"models":["mimo/mimo-v2-flash"],"provider":{"sort":"price","ignore":["openai"]}}""";

        var route = Of(llmtr: null, Header);

        var expected = new RouteOptions(["mimo/mimo-v2-flash"], [], [], ["openai"], true, RouteSort.Price);
        Assert.Equal(expected, route);
        Assert.Equal(expected, RouteOptions.FromHeader(Header, out var error));
        Assert.Null(error);
    }

    [Fact]
    public void MergeTheBodysOptionsWithTheHeadersWhenEachSetsItsOwn()
    {
        Assert.Equal(
            new RouteOptions(["deepseek/deepseek-chat"], ["turkcell"], [], [], false, RouteSort.None),
            Of("""{"models":["deepseek/deepseek-chat"]}""", """{"provider":{"order":["turkcell"],"allow_fallbacks":false}}"""));
        Assert.Equal(
            new RouteOptions(["openai/gpt-4o"], [], ["azure-tr"], [], true, RouteSort.None),
            Of("""{"provider":{"only":["azure-tr"]}}""", """ {"models":["openai/gpt-4o"]} """));
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("""{}""", null)]
    [InlineData("""{"residency":"TR","retention":"none"}""", "{}")]
    [InlineData("""{"models":null,"provider":null}""", """{"models":null}""")]
    public void BeNoneWhenNothingIsSet(string? llmtr, string? header) => Assert.Same(RouteOptions.None, Of(llmtr, header));

    [Fact]
    public void KeepTheDefaultsOfAnEmptyProviderObject() =>
        Assert.Equal(new RouteOptions([], [], [], [], true, RouteSort.None), Of("""{"provider":{}}""", header: null));

    [Theory]
    [InlineData("""{"models":"openai/gpt-4o"}""", "llmtr.models")]
    [InlineData("""{"models":[]}""", "llmtr.models")]
    [InlineData("""{"models":["a/1","a/2","a/3","a/4","a/5","a/6","a/7","a/8","a/9","a/10","a/11"]}""", "llmtr.models")]
    [InlineData("""{"models":["openai/gpt-4o","OpenAI/GPT-4o"]}""", "llmtr.models[1]")]
    [InlineData("""{"models":["openai/gpt-4o","llmtr/demo","gpt-4o"]}""", "llmtr.models[2]")]
    [InlineData("""{"models":["openai/gpt-4o",7]}""", "llmtr.models[1]")]
    [InlineData("""{"models":["openai/gpt-4o","llmtr/demo","openai/gpt-4o"]}""", "llmtr.models[2]")]
    [InlineData("""{"provider":"openai"}""", "llmtr.provider")]
    [InlineData("""{"provider":{"order":"azure-tr"}}""", "llmtr.provider.order")]
    [InlineData("""{"provider":{"order":[]}}""", "llmtr.provider.order")]
    [InlineData("""{"provider":{"only":["d1","d2","d3","d4","d5","d6","d7","d8","d9","d10","d11","d12","d13","d14","d15","d16","d17","d18","d19","d20","d21"]}}""", "llmtr.provider.only")]
    [InlineData("""{"provider":{"order":["azure-tr","Azure TR"]}}""", "llmtr.provider.order[1]")]
    [InlineData("""{"provider":{"order":["-azure"]}}""", "llmtr.provider.order[0]")]
    [InlineData("""{"provider":{"ignore":["openai","mimo","openai"]}}""", "llmtr.provider.ignore[2]")]
    [InlineData("""{"provider":{"order":["openai"],"speed":"fast"}}""", "llmtr.provider.speed")]
    [InlineData("""{"provider":{"sort":"cheapest"}}""", "llmtr.provider.sort")]
    [InlineData("""{"provider":{"sort":"Price"}}""", "llmtr.provider.sort")]
    [InlineData("""{"provider":{"sort":1}}""", "llmtr.provider.sort")]
    [InlineData("""{"provider":{"allow_fallbacks":"false","order":["openai"]}}""", "llmtr.provider.allow_fallbacks")]
    [InlineData("""{"provider":{"allow_fallbacks":false}}""", "llmtr.provider.allow_fallbacks")]
    [InlineData("""{"provider":{"allow_fallbacks":false,"only":["openai"]}}""", "llmtr.provider.allow_fallbacks")]
    [InlineData("""{"provider":{"only":["azure-tr","openai"],"ignore":["mimo","openai"]}}""", "llmtr.provider.ignore[1]")]
    public void NameTheFieldOfAnInvalidBodyOption(string llmtr, string param)
    {
        AssertInvalid(param, () => Read(llmtr, header: null).Error);

        // The llmtr object's own check, which every API's body validation runs, names the same field.
        using var document = JsonDocument.Parse(llmtr);
        AssertInvalid(param, () => ResidencyRequirement.Problem(document.RootElement));
    }

    [Theory]
    [InlineData("""{"models":["openai/gpt-4o"],""", "x-llmtr-route")]
    [InlineData("models=openai/gpt-4o", "x-llmtr-route")]
    [InlineData("", "x-llmtr-route")]
    [InlineData("""{"models":["openai/gpt-4o"]},{"models":["llmtr/demo"]}""", "x-llmtr-route")]
    [InlineData("""["openai/gpt-4o"]""", "x-llmtr-route")]
    [InlineData("\"price\"", "x-llmtr-route")]
    [InlineData("""{"residency":"TR"}""", "x-llmtr-route")]
    [InlineData("""{"models":["openai/gpt-4o"],"fallback":true}""", "x-llmtr-route")]
    [InlineData("""{"models":[]}""", "x-llmtr-route.models")]
    [InlineData("""{"models":["openai/gpt-4o","openai/gpt-4o"]}""", "x-llmtr-route.models[1]")]
    [InlineData("""{"models":["a/b"],"models":["c/d"]}""", "x-llmtr-route.models")]
    [InlineData("""{"provider":{"sort":"fastest"}}""", "x-llmtr-route.provider.sort")]
    [InlineData("""{"provider":{"allow_fallbacks":false}}""", "x-llmtr-route.provider.allow_fallbacks")]
    [InlineData("""{"provider":{"only":["openai"],"ignore":["openai"]}}""", "x-llmtr-route.provider.ignore[0]")]
    [InlineData("""{"provider":{"region":"tr"}}""", "x-llmtr-route.provider.region")]
    public void NameTheFieldOfAnInvalidHeader(string header, string param)
    {
        AssertInvalid(param, () => Read(llmtr: null, header).Error);
        AssertInvalid(param, () => FromHeader(header));
    }

    [Theory]
    [InlineData("""{"models":["openai/gpt-4o"]}""", """{"models":["llmtr/demo"]}""", "x-llmtr-route.models")]
    [InlineData("""{"provider":{"sort":"price"}}""", """{"provider":{"order":["openai"]}}""", "x-llmtr-route.provider")]
    [InlineData("""{"models":["openai/gpt-4o"],"provider":{}}""", """{"provider":{}}""", "x-llmtr-route.provider")]
    public void RefuseAnOptionSetBothInTheBodyAndInTheHeader(string llmtr, string header, string param)
    {
        var error = AssertInvalid(param, () => Read(llmtr, header).Error);

        Assert.Contains("Set it in one place", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RefuseAnOptionGivenTwiceInTheBody() =>
        AssertInvalid("llmtr.models", () => Read("""{"models":["a/b"],"models":["c/d"]}""", header: null).Error);

    [Fact]
    public void SayExactlyWhatIsWrong()
    {
        Assert.Equal(
            "'llmtr.models[2]' must be a model id such as \"openai/gpt-4o\"; got \"gpt-4o\".",
            AssertInvalid("llmtr.models[2]", () => Read("""{"models":["openai/gpt-4o","llmtr/demo","gpt-4o"]}""", null).Error).Message);
        Assert.Equal(
            "'llmtr.models[1]' repeats 'llmtr.models[0]': list each model id once.",
            AssertInvalid("llmtr.models[1]", () => Read("""{"models":["llmtr/demo","llmtr/demo"]}""", null).Error).Message);
        Assert.Equal(
            "'x-llmtr-route.provider.sort' must be \"price\" or \"latency\"; got \"fastest\".",
            AssertInvalid("x-llmtr-route.provider.sort", () => FromHeader("""{"provider":{"sort":"fastest"}}""")).Message);
        Assert.Equal(
            "'llmtr.speed' is not an LLMTR option. The options are 'residency', 'retention', 'models' and 'provider'.",
            AssertInvalid("llmtr.speed", () => ResidencyRequirement.Problem(Element("""{"speed":1}"""))).Message);
    }

    [Fact]
    public void NeverEchoALongValueOrKey()
    {
        var name = JsonSerializer.Serialize(new string('x', 300));

        var value = AssertInvalid("llmtr.models[0]", () => ResidencyRequirement.Problem(Element($$"""{"models":[{{name}}]}""")));
        var key = AssertInvalid("llmtr.provider", () => ResidencyRequirement.Problem(Element("{\"provider\":{" + name + ":1}}")));
        var llmtrKey = AssertInvalid("llmtr", () => ResidencyRequirement.Problem(Element($$"""{{{name}}:1}""")));
        var headerKey = AssertInvalid("x-llmtr-route", () => FromHeader($$"""{{{name}}:1}"""));

        Assert.All([value, key, llmtrKey, headerKey], error => Assert.DoesNotContain("xxxxxxxxxx", error.Message, StringComparison.Ordinal));
    }

    [Fact]
    public void BeRefusedByEveryApisBodyCheck()
    {
        const string Llmtr = """{"provider":{"sort":"random"}}""";

        Assert.Null(ChatRequest.Parse(Body($$"""{"model":"a/b","messages":[{"role":"user","content":"hi"}],"llmtr":{{Llmtr}}}"""), out var chat));
        Assert.Null(MessagesBody.Envelope(Body($$"""{"model":"a/b","max_tokens":5,"messages":[],"llmtr":{{Llmtr}}}"""), countingTokens: false, out var messages));

        Assert.Null(new ResponsesFormat(TimeProvider.System).Parse(Body($$"""{"model":"a/b","input":"hi","llmtr":{{Llmtr}}}"""), out var responses));

        Assert.Equal(("llmtr.provider.sort", "llmtr.provider.sort", "llmtr.provider.sort"), (chat!.Error.Param, messages!.Error.Param, responses!.Error.Param));
    }

    [Fact]
    public void CompareByTheirValues()
    {
        var one = new RouteOptions(["a/b"], ["x"], [], [], true, RouteSort.Price);
        var same = new RouteOptions(["a/b"], ["x"], [], [], true, RouteSort.Price);

        Assert.Equal(one, same);
        Assert.Equal(one.GetHashCode(), same.GetHashCode());
        Assert.NotEqual(one, one with { Models = ["a/c"] });
        Assert.NotEqual(one, one with { Order = [] });
        Assert.Contains("Models = [a/b], Order = [x]", one.ToString(), StringComparison.Ordinal);
    }

    /// <summary>The effective options of a chat body with this <c>llmtr</c> object and this header (none when null), which are valid.</summary>
    private static RouteOptions Of(string? llmtr, string? header)
    {
        var (route, error) = Read(llmtr, header);
        Assert.Null(error);
        return route!;
    }

    /// <summary>The effective options of a chat body with this <c>llmtr</c> object and this header (none when null), or the error.</summary>
    private static (RouteOptions? Route, GatewayError? Error) Read(string? llmtr, string? header)
    {
        using var document = JsonDocument.Parse(llmtr is null ? """{"model":"a/b"}""" : $$"""{"model":"a/b","llmtr":{{llmtr}}}""");
        var route = RouteOptions.Of(document.RootElement, header, out var error);
        Assert.True(route is null == error is not null, "either options or an error");
        return (route, error);
    }

    private static GatewayError? FromHeader(string header)
    {
        var route = RouteOptions.FromHeader(header, out var error);
        Assert.True(route is null == error is not null, "either options or an error");
        return error;
    }

    private static OpenAiError AssertInvalid(string param, Func<GatewayError?> refusal)
    {
        var error = refusal();
        Assert.NotNull(error);
        Assert.Equal((400, "invalid_request_error", param), (error.Status, error.Error.Type, error.Error.Param));
        Assert.Contains(param.StartsWith("x-llmtr-route", StringComparison.Ordinal) && param.Length == "x-llmtr-route".Length ? param : $"'{param}'", error.Error.Message, StringComparison.Ordinal);
        return error.Error;
    }

    private static JsonElement Element(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    private static byte[] Body(string json) => System.Text.Encoding.UTF8.GetBytes(json);
}
