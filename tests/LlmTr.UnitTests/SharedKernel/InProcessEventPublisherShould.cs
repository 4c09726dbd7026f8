using LlmTr.SharedKernel;
using Microsoft.Extensions.DependencyInjection;

namespace LlmTr.UnitTests.SharedKernel;

public sealed class InProcessEventPublisherShould
{
    private sealed record SomethingHappened(string What) : IIntegrationEvent;

    private sealed class Recorder(List<string> seen, string name) : IEventHandler<SomethingHappened>
    {
        public Task HandleAsync(SomethingHappened @event, CancellationToken cancellationToken)
        {
            seen.Add($"{name}:{@event.What}");
            return Task.CompletedTask;
        }
    }

    [Fact]
    public async Task DeliverAnEventToEveryHandlerInRegistrationOrder()
    {
        var seen = new List<string>();
        var services = new ServiceCollection()
            .AddSingleton<IEventHandler<SomethingHappened>>(new Recorder(seen, "first"))
            .AddSingleton<IEventHandler<SomethingHappened>>(new Recorder(seen, "second"))
            .BuildServiceProvider();

        await new InProcessEventPublisher(services).PublishAsync(new SomethingHappened("key revoked"));

        Assert.Equal(["first:key revoked", "second:key revoked"], seen);
    }

    [Fact]
    public async Task DoNothingWhenNoOneListens() =>
        await new InProcessEventPublisher(new ServiceCollection().BuildServiceProvider()).PublishAsync(new SomethingHappened("ignored"));
}
