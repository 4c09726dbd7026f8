using ArchUnitNET.Domain;
using LlmTr.Modules.Gateway;

namespace LlmTr.ArchitectureTests;

/// <summary>
/// The gateway has one request pipeline: endpoints bring their operation, sinks render answers in a client's API, and
/// neither is repeated inside the pipeline nor the pipeline inside them.
/// </summary>
public sealed class GatewayPipelineShould
{
    private const string Gateway = "LlmTr.Modules.Gateway";
    private const string Pipeline = Gateway + ".Pipeline";

    /// <summary>The endpoints' operations, the client formats and their sinks, and the provider protocols.</summary>
    private static readonly string[] Outside =
    [
        ".Messages", ".Responses", ".Playground", ".Media", ".Embeddings", ".Images", ".Audio",
        ".Protocols.Anthropic", ".Protocols.Gemini", ".Protocols.OpenAi",
    ];

    private static readonly System.Reflection.Assembly Implementation = typeof(GatewayModule).Assembly;

    [Fact]
    public void DependOnNoEndpointClientFormatOrProvider()
    {
        var violations = TypesIn(Pipeline)
            .SelectMany(t => t.Dependencies.Select(d => (t.FullName, Target: (d.Target.Namespace?.FullName ?? ""))))
            .Where(d => Outside.Any(o => d.Target == Gateway + o || d.Target.StartsWith(Gateway + o + ".", StringComparison.Ordinal)))
            .Select(d => $"{d.FullName} -> {d.Target}")
            .Distinct()
            .ToList();

        Assert.Empty(violations);
    }

    /// <summary>
    /// Admission (the usage row, the credit hold, the report at the end) is the pipeline's alone (the module's
    /// composition root only registers it): no endpoint repeats the skeleton.
    /// </summary>
    [Fact]
    public void BeTheOnlyPlaceThatAdmitsRequests()
    {
        var admission = Type("LlmTr.Modules.Gateway.Chat.Admission");
        var callers = ProductTypes()
            .Where(t => !t.FullName.StartsWith(admission.FullName!, StringComparison.Ordinal) && !InNamespace(t, Pipeline) && t.FullName != typeof(GatewayModule).FullName)
            .Where(t => t.Dependencies.Any(d => d.Target.FullName == admission.FullName))
            .Select(t => t.FullName)
            .ToList();

        Assert.Empty(callers);
    }

    /// <summary>
    /// Every provider call goes through the candidates' loop, which runs inside the pipeline: no endpoint reaches a
    /// provider on a path of its own (where admission, residency evidence and fallbacks would be left out). The one
    /// exception is the admin console's connection test (<c>DeploymentProbe</c>): it carries no user's request, only
    /// lists the provider's models with a deployment's credential, so there is nothing to admit, bill or fall back from.
    /// </summary>
    [Fact]
    public void CallProvidersOnlyThroughTheCandidates()
    {
        var client = Type("LlmTr.Modules.Gateway.Upstream.UpstreamClient");
        var probe = Type("LlmTr.Modules.Gateway.Upstream.DeploymentProbe");
        string[] allowed = [client.FullName!, Gateway + ".Upstream.ProviderCandidates", probe.FullName!, typeof(GatewayModule).FullName!];
        var callers = ProductTypes()
            .Where(t => !allowed.Any(a => t.FullName == a || t.FullName.StartsWith(a + "+", StringComparison.Ordinal) || t.FullName.StartsWith(a + "/", StringComparison.Ordinal)))
            .Where(t => t.Dependencies.Any(d => d.Target.FullName == client.FullName))
            .Select(t => t.FullName)
            .ToList();

        Assert.Empty(callers);
    }

    /// <summary>A sink renders typed events into bytes or in-process events; what HTTP carries them is not its business.</summary>
    [Fact]
    public void KeepAnswerSinksFreeOfHttp()
    {
        var sink = Type("LlmTr.Modules.Gateway.Protocols.ChunkSink");
        var sinks = Implementation.GetTypes().Where(t => t == sink || t.IsSubclassOf(sink)).Select(t => t.FullName!).ToList();
        Assert.True(sinks.Count >= 5, $"Expected the OpenAI, Messages, Responses, native Responses and playground sinks; found {string.Join(", ", sinks)}");

        var violations = ProductTypes()
            .Where(t => sinks.Any(s => t.FullName == s || t.FullName.StartsWith(s + "+", StringComparison.Ordinal) || t.FullName.StartsWith(s + "/", StringComparison.Ordinal)))
            .SelectMany(t => t.Dependencies.Select(d => (t.FullName, Target: (d.Target.Namespace?.FullName ?? ""))))
            .Where(d => d.Target.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal))
            .Select(d => $"{d.FullName} -> {d.Target}")
            .Distinct()
            .ToList();

        Assert.Empty(violations);
    }

    /// <summary>
    /// Below the endpoints, nothing reads or writes the HTTP exchange: requests and answers go through the pipeline's
    /// own types (<c>AnswerTarget</c>), so the playground runs the same pipeline in process.
    /// </summary>
    [Fact]
    public void KeepThePipelineCoreFreeOfTheHttpExchange()
    {
        string[] core =
        [
            Pipeline + ".GatewayPipeline", Pipeline + ".IGatewayOperation", Pipeline + ".AnswerTarget",
            Gateway + ".Chat.Exchange", Gateway + ".Chat.Admission", Gateway + ".Upstream.ProviderCandidates",
        ];
        string[] exchange = ["Microsoft.AspNetCore.Http.HttpContext", "Microsoft.AspNetCore.Http.HttpRequest", "Microsoft.AspNetCore.Http.HttpResponse"];
        Assert.All(core, name => Type(name));

        var violations = ProductTypes()
            .Where(t => core.Any(c => t.FullName == c || t.FullName.StartsWith(c + "+", StringComparison.Ordinal) || t.FullName.StartsWith(c + "/", StringComparison.Ordinal)))
            .SelectMany(t => t.Dependencies.Select(d => (t.FullName, Target: d.Target.FullName)))
            .Where(d => exchange.Contains(d.Target))
            .Select(d => $"{d.FullName} -> {d.Target}")
            .Distinct()
            .ToList();

        Assert.Empty(violations);
    }

    private static System.Type Type(string name) => Implementation.GetType(name, throwOnError: true)!;

    private static IEnumerable<IType> ProductTypes() => Solution.Architecture.Types.Where(t => t.Assembly.FullName == Implementation.FullName);

    private static IEnumerable<IType> TypesIn(string ns) => ProductTypes().Where(t => InNamespace(t, ns));

    private static bool InNamespace(IType type, string ns) =>
        type.Namespace.FullName == ns || type.Namespace.FullName.StartsWith(ns + ".", StringComparison.Ordinal);
}
