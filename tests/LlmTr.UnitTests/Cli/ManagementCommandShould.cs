using LlmTr.Host.Cli;

namespace LlmTr.UnitTests.Cli;

public sealed class ManagementCommandShould
{
    [Theory]
    [InlineData(new string[0], false)]
    [InlineData(new[] { "--urls", "http://localhost:1" }, false)]
    [InlineData(new[] { "migrate" }, true)]
    public void TellCommandsFromHostSwitches(string[] args, bool isCommand) =>
        Assert.Equal(isCommand, ManagementCommand.IsCommandLine(args));

    [Fact]
    public void ParseUsersCreateWithItsOptionsAndFlag()
    {
        var command = ManagementCommand.Parse(["users", "create", "--email", "a@b.tr", "--password", "Secret-123456", "--admin"], out var error);

        Assert.Null(error);
        Assert.NotNull(command);
        Assert.Equal("users create", command.Name);
        Assert.Equal("a@b.tr", command.Option("--email"));
        Assert.Equal("Secret-123456", command.Option("--password"));
        Assert.True(command.Flag("--admin"));
    }

    [Theory]
    [InlineData(new[] { "migrat" }, "Unknown command 'migrat'.")]
    [InlineData(new[] { "users", "delete" }, "Unknown command 'users delete'.")]
    [InlineData(new[] { "users", "create", "--email", "a@b.tr" }, "'users create' needs --password.")]
    [InlineData(new[] { "users", "create" }, "'users create' needs --email and --password.")]
    [InlineData(new[] { "users", "create", "--email", "--password", "x" }, "--email needs a value.")]
    [InlineData(new[] { "migrate", "--force" }, "Unknown option '--force' for 'migrate'.")]
    [InlineData(new[] { "usage", "roll-up", "--from", "2025-09-01" }, "'usage roll-up' needs --to.")]
    public void RejectBadArgumentsWithAPreciseMessage(string[] args, string expected)
    {
        var command = ManagementCommand.Parse(args, out var error);

        Assert.Null(command);
        Assert.Equal(expected, error);
    }

    [Fact]
    public void ListEveryCommandInItsUsage()
    {
        Assert.Contains("migrate", ManagementCommand.UsageText, StringComparison.Ordinal);
        Assert.Contains("seed", ManagementCommand.UsageText, StringComparison.Ordinal);
        Assert.Contains("users create --email EMAIL --password PASSWORD [--admin]", ManagementCommand.UsageText, StringComparison.Ordinal);
        Assert.Contains("usage roll-up --from FROM --to TO", ManagementCommand.UsageText, StringComparison.Ordinal);
    }
}
