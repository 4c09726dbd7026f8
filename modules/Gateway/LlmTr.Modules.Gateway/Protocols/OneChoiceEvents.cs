using LlmTr.Modules.Billing.Contracts;

namespace LlmTr.Modules.Gateway.Protocols;

/// <summary>
/// A stream in an API whose answer has a single choice (the Messages and Responses APIs): events of other choices are
/// dropped, the answer opens (<see cref="Open"/>) with its first event, and the finish reason and the usage with its
/// cost are held for the closing event.
/// </summary>
internal abstract class OneChoiceEvents(string id, string model, long created) : ChunkSink(id, model, created)
{
    /// <summary>OpenAI's finish reason of the choice, once it finished.</summary>
    protected string? FinishReason { get; private set; }

    /// <summary>What the answer consumed, once the pipeline said.</summary>
    protected UsageCounts? Consumed { get; private set; }

    /// <summary>What it cost, once the pipeline said.</summary>
    protected UsageCharge? Cost { get; private set; }

    public sealed override void Role(int choice, bool callsFirst)
    {
        if (choice == 0)
        {
            Open();
        }
    }

    public sealed override void Text(int choice, string text)
    {
        if (choice == 0 && text.Length > 0 && Open())
        {
            OnText(text);
        }
    }

    public sealed override void Reasoning(int choice, string text)
    {
        if (choice == 0 && text.Length > 0 && Open())
        {
            OnReasoning(text);
        }
    }

    public sealed override void Refusal(int choice, string text)
    {
        if (choice == 0 && text.Length > 0 && Open())
        {
            OnRefusal(text);
        }
    }

    public sealed override void ToolCall(int choice, int call, string? id, string? name, string arguments)
    {
        if (choice == 0 && Open())
        {
            OnToolCall(call, id, name, arguments);
        }
    }

    public sealed override void Finish(int choice, string reason)
    {
        if (choice == 0)
        {
            FinishReason = reason;
        }
    }

    public sealed override void Usage(UsageCounts usage, UsageCharge charge)
    {
        Consumed = usage;
        Cost = charge;
    }

    /// <summary>Writes the answer's opening events the first time; false once the answer can take no more events.</summary>
    protected abstract bool Open();

    protected abstract void OnText(string text);

    /// <summary>Reasoning text; an API without a place for it drops it.</summary>
    protected virtual void OnReasoning(string text)
    {
    }

    protected abstract void OnRefusal(string text);

    protected abstract void OnToolCall(int call, string? id, string? name, string arguments);
}
