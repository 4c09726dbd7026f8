using System.Text;
using LlmTr.Modules.Gateway.Chat;

namespace LlmTr.UnitTests.Gateway;

/// <summary>
/// How many web searches a chat request lets the provider run, which is what the credit hold reserves for searching:
/// the tool's own cap where it sets one (Anthropic's <c>max_uses</c>, MiMo's <c>max_keyword</c>, as MiMo bills each
/// keyword), a fixed allowance for an uncapped tool, one for a search switched on for the whole request.
/// </summary>
public sealed class WebSearchLimitShould
{
    [Theory]
    [InlineData("""{"webSearchEnabled":true}""", 1)]
    [InlineData("""{"webSearchEnabled":false}""", 0)]
    [InlineData("""{"web_search_options":{}}""", 1)]
    [InlineData("""{"tools":[{"type":"web_search"}]}""", MaximumUsage.UnboundedWebSearches)]
    [InlineData("""{"tools":[{"type":"web_search","max_keyword":3,"force_search":true}]}""", 3)]
    [InlineData("""{"tools":[{"type":"web_search_20250305","name":"web_search","max_uses":8}]}""", 8)]
    [InlineData("""{"tools":[{"type":"web_search","max_keyword":0}]}""", MaximumUsage.UnboundedWebSearches)]
    [InlineData("""{"webSearchEnabled":true,"tools":[{"type":"web_search","max_keyword":2}]}""", 2)]
    [InlineData("""{"tools":[{"type":"function","function":{"name":"web_search"}}]}""", 0)]
    public void FollowTheToolsOwnCap(string fields, int expected)
    {
        var body = """{"model":"mimo/mimo-v2-flash","messages":[{"role":"user","content":"Hi"}],""" + fields[1..];
        var request = ChatRequest.Parse(Encoding.UTF8.GetBytes(body), out var error) ?? throw new InvalidOperationException(error!.Error.Message);

        Assert.Equal(expected, request.WebSearchLimit);
        Assert.Equal(expected > 0, request.AsksForWebSearch);
    }
}
