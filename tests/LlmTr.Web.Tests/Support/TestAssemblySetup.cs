using System.Runtime.CompilerServices;
using Bunit;

namespace LlmTr.Web.Tests.Support;

/// <summary>
/// Component tests run in parallel with the rest of the suite on a small machine: the renderer's waits get time to
/// be checked at all (a slow machine is not a failing component), and the thread pool starts with enough threads
/// that rendering is not queued behind other tests.
/// </summary>
internal static class TestAssemblySetup
{
    [ModuleInitializer]
    internal static void Initialize()
    {
        BunitContext.DefaultWaitTimeout = TimeSpan.FromSeconds(30);
        ThreadPool.GetMinThreads(out var workers, out var completionPorts);
        ThreadPool.SetMinThreads(Math.Max(workers, Environment.ProcessorCount * 8), completionPorts);
    }
}
