using LlmTr.Web.Navigation;

namespace LlmTr.Web.Tests.Navigation;

public sealed class DocsLinksShould
{
    [Theory]
    [InlineData("/docs/en/errors", "tr", "/docs/tr/errors")]
    [InlineData("/docs/tr", "en", "/docs/en")]
    [InlineData("/docs/en/errors#error-table", "tr", "/docs/tr/errors#error-table")]
    [InlineData("/docs/en?x=1", "tr", "/docs/tr?x=1")]
    [InlineData("/models/openai/gpt-4o", "tr", "/models/openai/gpt-4o")]
    [InlineData("/docs", "tr", "/docs")]
    [InlineData("/docs/english", "tr", "/docs/english")]
    public void MoveADocsAddressToAnotherLanguageAndLeaveOthersAlone(string url, string language, string expected) =>
        Assert.Equal(expected, DocsLinks.InLanguage(url, language));
}
