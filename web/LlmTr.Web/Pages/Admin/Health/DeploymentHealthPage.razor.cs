using Microsoft.Extensions.Logging;

namespace LlmTr.Web.Pages.Admin.Health;

public sealed partial class DeploymentHealthPage
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Deployment health could not be read for the admin console")]
    private static partial void LogUnavailable(ILogger logger, Exception exception);
}
