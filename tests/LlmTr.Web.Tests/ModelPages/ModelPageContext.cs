using LlmTr.Modules.Catalog.Contracts;
using LlmTr.Modules.Docs.Contracts;
using LlmTr.Web.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace LlmTr.Web.Tests.ModelPages;

/// <summary>The model pages over <see cref="TestCatalog"/>, at a fixed moment.</summary>
public abstract class ModelPageContext : WebTestContext
{
    internal FakeTimeProvider Clock { get; } = new(TestCatalog.Now);

    /// <summary>The deployment health the model pages' status is read from (no traffic unless a test says otherwise).</summary>
    internal FakeDeploymentStatistics Health { get; }

    protected ModelPageContext()
    {
        Services.AddSingleton<IModelCatalog>(new TestCatalog());
        Services.AddSingleton<TimeProvider>(Clock);
        Services.AddSingleton<IDocumentation>(new TestDocumentation());
        Health = AddModelStatus(Clock);
    }
}
