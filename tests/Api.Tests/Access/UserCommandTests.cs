using Telemetry.Api.Access;
using Telemetry.Maintenance.Storage;
using Telemetry.Testing;

namespace Telemetry.Api.Tests.Access;

/// <summary>The users command, as the first admin is added.</summary>
public sealed class UserCommandTests
{
    private readonly string database = Path.Combine(RepositoryPaths.NewScratchDirectory("users-command"), "maintenance.db");

    [Fact]
    public async Task The_first_admin_is_added_with_a_password_from_standard_input_and_can_sign_in()
    {
        var (code, output, _) = await RunAsync("correct horse battery\n", "set", "chen.admin", "--role", "admin");

        Assert.Equal(0, code);
        Assert.Contains("user chen.admin: admin", output, StringComparison.Ordinal);
        var (outcome, _) = await new UserStore(new SqliteDatabase(database), TimeProvider.System).SignInAsync("chen.admin", "correct horse battery", CancellationToken.None);
        Assert.Equal(SignInOutcome.SignedIn, outcome);
    }

    [Fact]
    public async Task A_generated_password_is_printed_once_and_signs_in()
    {
        var (code, output, _) = await RunAsync("", "set", "li.wei", "--role", "crew", "--crew", "crew-north", "--generate-password");

        Assert.Equal(0, code);
        var password = output.Split('\n').Single(l => l.StartsWith("password: ", StringComparison.Ordinal))["password: ".Length..].Trim();
        var (outcome, user) = await new UserStore(new SqliteDatabase(database), TimeProvider.System).SignInAsync("li.wei", password, CancellationToken.None);
        Assert.Equal(SignInOutcome.SignedIn, outcome);
        Assert.Equal(["crew-north"], user!.Crews);
    }

    [Theory]
    [InlineData("correct horse battery\n", "set", "li.wei", "--role", "pilot")]
    [InlineData("short\n", "set", "li.wei", "--role", "operator")]
    [InlineData("correct horse battery\n", "set", "li.wei", "--role", "crew")]
    [InlineData("", "set", "li.wei", "--role", "operator")]
    [InlineData("", "remove", "li.wei")]
    public async Task A_refused_user_or_a_wrong_command_exits_2_with_the_reason_and_the_usage(string input, params string[] args)
    {
        var (code, _, error) = await RunAsync(input, args);

        Assert.Equal(2, code);
        Assert.Contains("usage:", error, StringComparison.Ordinal);
        Assert.Null(await new UserStore(new SqliteDatabase(database), TimeProvider.System).FindAsync("li.wei", CancellationToken.None));

        // The right command after it adds the user.
        Assert.Equal(0, (await RunAsync("correct horse battery\n", "set", "li.wei", "--role", "operator")).Code);
        Assert.NotNull(await new UserStore(new SqliteDatabase(database), TimeProvider.System).FindAsync("li.wei", CancellationToken.None));
    }

    private async Task<(int Code, string Output, string Error)> RunAsync(string input, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await UserCommand.RunAsync([.. args, "--database", database], null, new StringReader(input), output, error);
        return (code, output.ToString(), error.ToString());
    }
}
