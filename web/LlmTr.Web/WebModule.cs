using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace LlmTr.Web;

public static class WebModule
{
    public static IServiceCollection AddLlmTrWeb(this IServiceCollection services) => services.AddAntiforgery();

    public static IEndpointRouteBuilder MapLlmTrWeb(this IEndpointRouteBuilder endpoints) => endpoints;
}
