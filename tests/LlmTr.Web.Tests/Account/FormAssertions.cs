using AngleSharp.Dom;

namespace LlmTr.Web.Tests.Account;

internal static class FormAssertions
{
    /// <summary>Every input a person fills in has a label pointing at it (screen readers announce it).</summary>
    public static void EveryInputIsLabelled(IElement form, int expectedInputs)
    {
        var inputs = form.QuerySelectorAll("input:not([type='hidden'])");
        Assert.Equal(expectedInputs, inputs.Length);
        foreach (var input in inputs)
        {
            Assert.False(string.IsNullOrEmpty(input.Id), $"An input named '{input.GetAttribute("name")}' has no id.");
            var label = form.QuerySelector($"label[for='{input.Id}']");
            Assert.True(label is not null, $"The input '{input.Id}' has no label.");
            Assert.False(string.IsNullOrWhiteSpace(label.TextContent), $"The label of '{input.Id}' is empty.");
        }
    }

    public static IReadOnlyList<string> ValidationMessages(IElement form) =>
        form.QuerySelectorAll(".validation-message").Select(message => message.TextContent.Trim()).ToList();
}
