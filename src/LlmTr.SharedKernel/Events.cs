namespace LlmTr.SharedKernel;

/// <summary>Marker for notifications one module publishes and others may react to, inside this process.</summary>
public interface IIntegrationEvent;

public interface IEventPublisher
{
    Task PublishAsync<TEvent>(TEvent @event, CancellationToken cancellationToken = default)
        where TEvent : IIntegrationEvent;
}

public interface IEventHandler<in TEvent>
    where TEvent : IIntegrationEvent
{
    Task HandleAsync(TEvent @event, CancellationToken cancellationToken);
}
