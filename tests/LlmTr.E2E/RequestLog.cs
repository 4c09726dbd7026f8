using Microsoft.Playwright;

namespace LlmTr.E2E;

/// <summary>The request log as a journey reads it: only once its rows have loaded.</summary>
internal static class RequestLog
{
    private static readonly LocatorAssertionsToHaveCountOptions Patiently = new() { Timeout = 15_000 };

    /// <summary>
    /// Opens the log and answers whether it lists the request. The prerendered table and the first interactive render
    /// show a pending placeholder, then the table loads: reading it before that would see no rows and say "not there"
    /// however long the journey kept looking.
    /// </summary>
    public static async Task<bool> ListsAsync(IPage page, string requestId)
    {
        await page.GotoAsync("/dashboard/requests");
        await Assertions.Expect(page.Locator("main[data-interactive=true]")).ToHaveCountAsync(1, Patiently);
        await Assertions.Expect(page.Locator(".llmtr-table-pending, .mud-table-loading")).ToHaveCountAsync(0, Patiently);
        return (await page.GetByTestId("requests-table").InnerTextAsync()).Contains(requestId, StringComparison.Ordinal);
    }
}
