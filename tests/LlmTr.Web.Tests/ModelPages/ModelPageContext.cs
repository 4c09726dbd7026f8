using LlmTr.Modules.Catalog.Contracts;
using LlmTr.Modules.Docs.Contracts;
using LlmTr.Web.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace LlmTr.Web.Tests.ModelPages;

/// <summary>The model pages over <see cref="TestCatalog"/>, at a fixed moment.</summary>
public abstract class ModelPageContext : WebTestContext
{
    protected ModelPageContext()
    {
        Services.AddSingleton<IModelCatalog>(new TestCatalog());
        Services.AddSingleton<TimeProvider>(new FakeTimeProvider(TestCatalog.Now));
        Services.AddSingleton<IDocumentation>(new TestDocumentation());
    }
}
