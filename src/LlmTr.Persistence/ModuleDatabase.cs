namespace LlmTr.Persistence;

/// <summary>
/// One unit of schema the migrator brings up to date, in registration order: a module's DbContext,
/// or a package's own installer (Hangfire). Registration order is the migration order.
/// </summary>
/// <param name="ContextType">The module's DbContext, or null for a schema installed by a package.</param>
public sealed record ModuleDatabase(
    string Name, string Schema, Type? ContextType, Func<IServiceProvider, CancellationToken, Task> MigrateAsync);
