using LlmTr.Web.Navigation;

namespace LlmTr.Web.Tests.Navigation;

public sealed class LocalReturnUrlShould
{
    [Theory]
    [InlineData("/")]
    [InlineData("/dashboard")]
    [InlineData("/dashboard?tab=usage#keys")]
    [InlineData("/account/manage/change-password")]
    public void KeepLocalPaths(string url) => Assert.Equal(url, LocalReturnUrl.OrRoot(url));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("https://evil.example/")]
    [InlineData("http://localhost/dashboard")]
    [InlineData("//evil.example/")]
    [InlineData("/\\evil.example/")]
    [InlineData("\\\\evil.example")]
    [InlineData("javascript:alert(1)")]
    [InlineData("dashboard")]
    [InlineData("/dash\r\nSet-Cookie: x=1")]
    public void FallBackToTheRootForAnythingElse(string? url) => Assert.Equal("/", LocalReturnUrl.OrRoot(url));
}
