using System.Globalization;
using LlmTr.Identity;
using LlmTr.Modules.Billing.Contracts;
using Microsoft.AspNetCore.Identity;

namespace LlmTr.Host.Cli;

/// <summary><c>credits grant</c>: an adjustment on the ledger like an admin's, recorded with the operator as its actor.</summary>
internal static class CreditsCommand
{
    public const string DefaultReason = "Granted from the command line";

    public static async Task<int> GrantAsync(ManagementCommand command, IServiceProvider provider, TextWriter stdout, TextWriter stderr)
    {
        var email = command.Option("--email")!;
        if (!decimal.TryParse(command.Option("--amount"), NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount))
        {
            await stderr.WriteLineAsync($"'{command.Option("--amount")}' is not an amount: write it like 25 or 12.50.");
            return ManagementCommand.Usage;
        }

        var user = await provider.GetRequiredService<UserManager<ApplicationUser>>().FindByEmailAsync(email);
        if (user is null)
        {
            await stderr.WriteLineAsync($"There is no user with the e-mail {email}.");
            return ManagementCommand.Failed;
        }

        var actor = $"command line ({Environment.UserName})";
        var result = await provider.GetRequiredService<IBillingAdministration>().AdjustAsync(user.Id, amount, command.Option("--reason") ?? DefaultReason, actor);
        if (result.Entry is not { } entry)
        {
            foreach (var error in result.Errors.SelectMany(e => e.Value))
            {
                await stderr.WriteLineAsync(error);
            }

            return ManagementCommand.Usage;
        }

        var balance = await provider.GetRequiredService<IBalanceQuery>().GetAsync(user.Id);
        await stdout.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"Granted {entry.Amount:0.00} {entry.Currency} to {email} (ledger entry {entry.Id}). Balance: {balance.Balance:0.00} {balance.Currency}."));
        return ManagementCommand.Ok;
    }
}
