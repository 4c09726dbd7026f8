using LlmTr.Host.Demo;
using LlmTr.Identity;
using LlmTr.Modules.Keys.Contracts;
using LlmTr.Persistence;
using Microsoft.AspNetCore.Identity;

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
            DemoCredentials? demo = null;
            await provider.GetRequiredService<DatabaseMigrator>().MigrateAsync(
                command.Name == "seed" ? async _ => demo = await provider.GetRequiredService<DemoSeed>().SeedAsync() : null);
            return command.Name switch
            {
                "migrate" => Done(stdout, "The database is up to date."),
                "seed" => Done(stdout, $"Demo data loaded. {demo!.Describe()}"),
                "users create" => await CreateUserAsync(command, provider, stdout, stderr),
                "keys create" => await CreateKeyAsync(command, provider, stdout, stderr),
                "credits grant" => await CreditsCommand.GrantAsync(command, provider, stdout, stderr),
                "usage roll-up" => await UsageCommand.RollUpAsync(command, provider, stdout, stderr),
                _ => throw new InvalidOperationException($"No handler for '{command.Name}'."),
            };
        }
        catch (Exception e) when (e is Database.PostgresUnavailableException or Npgsql.NpgsqlException or InvalidOperationException)
        {
            // An operator needs the reason, not a stack trace; the message never carries the connection string.
            await stderr.WriteLineAsync($"{command.Name} failed: {e.Message}");
            return ManagementCommand.Failed;
        }
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

    /// <summary>The raw key goes to stdout alone, so a script can capture it; it is never shown again.</summary>
    private static async Task<int> CreateKeyAsync(ManagementCommand command, IServiceProvider provider, TextWriter stdout, TextWriter stderr)
    {
        var email = command.Option("--email")!;
        var user = await provider.GetRequiredService<UserManager<ApplicationUser>>().FindByEmailAsync(email);
        if (user is null)
        {
            await stderr.WriteLineAsync($"There is no user with the e-mail {email}.");
            return ManagementCommand.Failed;
        }

        var result = await provider.GetRequiredService<IApiKeys>().CreateAsync(user.Id, new NewApiKey(command.Option("--name") ?? "Command-line key"));
        if (result.Key is not { } key)
        {
            foreach (var error in result.Errors.SelectMany(e => e.Value))
            {
                await stderr.WriteLineAsync(error);
            }

            return ManagementCommand.Usage;
        }

        await stderr.WriteLineAsync($"Created key {key.Preview} for {email}. Store it now: it is not shown again.");
        return Done(stdout, key.RawKey);
    }

    private static int Done(TextWriter stdout, string message)
    {
        stdout.WriteLine(message);
        return ManagementCommand.Ok;
    }
}
