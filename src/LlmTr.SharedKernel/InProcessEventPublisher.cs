using Microsoft.Extensions.DependencyInjection;

namespace LlmTr.SharedKernel;

/// <summary>
/// Delivers an event to every registered <see cref="IEventHandler{TEvent}"/> in turn, in this process only.
/// Cross-host effects (cache invalidation) ride PostgreSQL LISTEN/NOTIFY; money rides an outbox row.
/// </summary>
public sealed class InProcessEventPublisher(IServiceProvider services) : IEventPublisher
{
    public async Task PublishAsync<TEvent>(TEvent @event, CancellationToken cancellationToken = default)
        where TEvent : IIntegrationEvent
    {
        foreach (var handler in services.GetServices<IEventHandler<TEvent>>())
        {
            await handler.HandleAsync(@event, cancellationToken).ConfigureAwait(false);
        }
    }
}
