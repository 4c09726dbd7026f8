namespace LlmTr.Persistence;

/// <summary>
/// One unit of schema the migrator brings up to date, in registration order: a module's DbContext,
/// or a package's own installer (Hangfire). Registration order is the migration order.
/// </summary>
public sealed record ModuleDatabase(string Name, string Schema, Func<IServiceProvider, CancellationToken, Task> MigrateAsync);
