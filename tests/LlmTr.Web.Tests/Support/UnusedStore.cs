using System.Reflection;

namespace LlmTr.Web.Tests.Support;

/// <summary>
/// A store for Identity's managers that fails loudly if used: rendering a page must not touch the database,
/// only submitting it does, and submissions are covered by the integration tests against PostgreSQL.
/// </summary>
public class UnusedStore : DispatchProxy
{
    public static T Create<T>()
        where T : class => Create<T, UnusedStore>();

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args) =>
        targetMethod?.Name == nameof(IDisposable.Dispose)
            ? null
            : throw new NotSupportedException($"The page called the user store ({targetMethod?.Name}) while rendering.");
}
