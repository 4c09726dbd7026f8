using LlmTr.Identity;
using LlmTr.Identity.Mail;
using LlmTr.SharedKernel;

namespace LlmTr.Web.Tests.Support;

/// <summary>Keeps what the pages queue, for tests to read.</summary>
internal sealed class RecordingMailQueue : IMailQueue
{
    public List<OutgoingMail> Mails { get; } = [];

    public void Enqueue(OutgoingMail mail) => Mails.Add(mail);
}

internal sealed class TestSiteAddress : ISiteAddress
{
    public Uri For(string pathAndQuery) => new("https://llmtr.test" + pathAndQuery);
}

/// <summary>The confirmation gate with the answer a test sets (allowing by default).</summary>
internal sealed class FakeEmailConfirmationGate : IEmailConfirmationGate
{
    public bool Allows { get; set; } = true;

    public bool Required => true;

    public Task<bool> AllowsAsync(string userId, CancellationToken cancellationToken = default) => Task.FromResult(Allows);
}

internal sealed class FakeDevMailbox(bool enabled, params DevMail[] mails) : IDevMailbox
{
    public bool IsEnabled => enabled;

    public IReadOnlyList<DevMail> Mails => mails;
}
