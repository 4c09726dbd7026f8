using System.Globalization;
using System.Text;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace LlmTr.E2E;

/// <summary>Runs axe-core on the page as it stands and fails on any serious or critical violation.</summary>
internal static class Accessibility
{
    private static readonly string[] Failing = ["serious", "critical"];

    /// <summary>
    /// Violations inside third-party markup that the product cannot change, each as one rule on one selector.
    /// Every entry says why it cannot be fixed where it arises; nothing else is ever skipped.
    /// </summary>
    private static readonly (string Rule, string Selector, string Why)[] Exemptions = [];

    /// <summary>
    /// Waits until the page is settled (its circuit up if it is an interactive page, nothing loading) and checks it.
    /// The dashboard and admin pages render first without a circuit; axe must see what a user sees once it is up.
    /// <paramref name="within"/> narrows the check to one part of the page, such as an open modal dialog: the page
    /// behind it is dimmed by the dialog's overlay and out of reach, so its contrast there says nothing; it is
    /// checked on its own before the dialog opens and after it closes.
    /// </summary>
    public static async Task AssertNoSeriousViolationsAsync(IPage page, bool interactive, string? within = null)
    {
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        if (interactive)
        {
            await Assertions.Expect(page.Locator("main[data-interactive=true]")).ToBeAttachedAsync();
        }

        await Assertions.Expect(page.Locator(".mud-table-loading, .mud-progress-linear, .llmtr-table-pending")).ToHaveCountAsync(0);
        var result = within is null ? await page.RunAxe() : await page.Locator(within).RunAxe();
        var problems = result.Violations
            .Where(v => Failing.Contains(v.Impact, StringComparer.Ordinal))
            .Select(v => (Violation: v, Nodes: v.Nodes.Where(n => !IsExempt(v.Id, n)).ToList()))
            .Where(v => v.Nodes.Count > 0)
            .ToList();
        if (problems.Count == 0)
        {
            return;
        }

        var report = new StringBuilder($"axe found {problems.Count} serious or critical violation(s) on {page.Url}:");
        foreach (var (violation, nodes) in problems)
        {
            report.AppendLine().Append(CultureInfo.InvariantCulture, $"- {violation.Id} ({violation.Impact}): {violation.Help}");
            foreach (var node in nodes)
            {
                report.AppendLine().Append(CultureInfo.InvariantCulture, $"    {node.Target} :: {Shorten(node.Html)}");
            }
        }

        Assert.Fail(report.ToString());
    }

    private static bool IsExempt(string rule, AxeResultNode node) =>
        Exemptions.Any(e => e.Rule == rule && node.Target.ToString() == e.Selector);

    private static string Shorten(string html) => html.Length <= 160 ? html : html[..160] + "…";
}
