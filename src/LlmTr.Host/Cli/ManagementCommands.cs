using LlmTr.Host.Demo;
using LlmTr.Identity;
using LlmTr.Persistence;

namespace LlmTr.Host.Cli;

/// <summary>Runs a parsed management command against the built (not started) host. Results on stdout, problems on stderr.</summary>
internal static class ManagementCommands
{
    public static async Task<int> RunAsync(this ManagementCommand command, IServiceProvider services, TextWriter stdout, TextWriter stderr)
    {
        try
        {
            await using var scope = services.CreateAsyncScope();
            var provider = scope.ServiceProvider;
            await provider.GetRequiredService<DatabaseMigrator>().MigrateAsync();
            await provider.GetRequiredService<AccountProvisioning>().EnsureRolesAsync();
            return command.Name switch
            {
                "migrate" => Done(stdout, "The database is up to date."),
                "seed" => await SeedAsync(provider, stdout),
                "users create" => await CreateUserAsync(command, provider, stdout, stderr),
                _ => throw new InvalidOperationException($"No handler for '{command.Name}'."),
            };
        }
        catch (Database.PostgresUnavailableException e)
        {
            await stderr.WriteLineAsync(e.Message);
            return ManagementCommand.Failed;
        }
    }

    private static async Task<int> SeedAsync(IServiceProvider provider, TextWriter stdout)
    {
        var credentials = await provider.GetRequiredService<DemoSeed>().SeedAsync();
        return Done(stdout, $"Demo data loaded. Demo admin: {credentials.Email} / {credentials.Password}");
    }

    private static async Task<int> CreateUserAsync(ManagementCommand command, IServiceProvider provider, TextWriter stdout, TextWriter stderr)
    {
        var email = command.Option("--email")!;
        if (!System.Net.Mail.MailAddress.TryCreate(email, out _))
        {
            await stderr.WriteLineAsync($"'{email}' is not an e-mail address.");
            return ManagementCommand.Usage;
        }

        var isAdmin = command.Flag("--admin");
        var result = await provider.GetRequiredService<AccountProvisioning>().CreateAsync(email, command.Option("--password")!, isAdmin);
        if (!result.Succeeded)
        {
            foreach (var error in result.Errors)
            {
                await stderr.WriteLineAsync(error.Description);
            }

            return ManagementCommand.Failed;
        }

        return Done(stdout, $"Created {(isAdmin ? "admin" : "developer")} {email}.");
    }

    private static int Done(TextWriter stdout, string message)
    {
        stdout.WriteLine(message);
        return ManagementCommand.Ok;
    }
}
