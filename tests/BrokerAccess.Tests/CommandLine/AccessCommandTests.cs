using Telemetry.BrokerAccess.CommandLine;
using Telemetry.BrokerAccess.Mosquitto;
using Telemetry.Testing;

namespace Telemetry.BrokerAccess.Tests.CommandLine;

public sealed class AccessCommandTests : IDisposable
{
    private static readonly string DemoSite = Path.Combine(RepositoryPaths.Hardware, "sites", "demo.json");
    private readonly string _state = RepositoryPaths.NewScratchDirectory("access");

    [Fact]
    public async Task Setup_writes_a_password_per_principal_the_password_file_and_the_acl()
    {
        var (code, _, error) = await RunAsync("setup", "--sites", DemoSite, "--state", _state);

        Assert.Equal(0, code);
        Assert.Equal("", error);
        var state = new AccessState(_state);
        var lines = await File.ReadAllLinesAsync(state.PasswordFile);
        Assert.Contains(lines, l => l.StartsWith("gateway-demo-gw-demo-01:$7$101$", StringComparison.Ordinal));
        var api = lines.Single(l => l.StartsWith("api:", StringComparison.Ordinal)).Split(':', 2)[1];
        Assert.True(PasswordHash.Matches(api, state.Credentials.Read("api")!));
        Assert.Contains("user observer\ntopic read lighting/#\n", await File.ReadAllTextAsync(state.AclFile), StringComparison.Ordinal);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(state.PasswordFile));
    }

    [Fact]
    public async Task Setup_again_keeps_every_password_and_adds_the_principals_of_a_new_site()
    {
        await RunAsync("setup", "--sites", DemoSite, "--state", _state);
        var state = new AccessState(_state);
        var before = state.Credentials.Read("gateway-demo-gw-demo-01");

        var (code, output, _) = await RunAsync("setup", "--sites", DemoSite, Path.Combine(RepositoryPaths.Hardware, "sites", "test-small.json"), "--state", _state, "--extra-principal", "harness:topic readwrite #");

        Assert.Equal(0, code);
        Assert.Equal(before, state.Credentials.Read("gateway-demo-gw-demo-01"));
        Assert.Contains("new passwords for gateway-test-small-gw-test-01, harness", output, StringComparison.Ordinal);
        Assert.Contains("user harness\ntopic readwrite #\n", await File.ReadAllTextAsync(state.AclFile), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rotate_gives_one_principal_a_new_password_and_keeps_the_others()
    {
        await RunAsync("setup", "--sites", DemoSite, "--state", _state);
        var state = new AccessState(_state);
        var (gateway, api) = (state.Credentials.Read("gateway-demo-gw-demo-01"), state.Credentials.Read("api"));

        var (code, output, _) = await RunAsync("rotate", "gateway-demo-gw-demo-01", "--sites", DemoSite, "--state", _state);

        Assert.Equal(0, code);
        Assert.NotEqual(gateway, state.Credentials.Read("gateway-demo-gw-demo-01"));
        Assert.Equal(api, state.Credentials.Read("api"));
        Assert.Contains("no broker running", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Show_prints_the_user_name_and_the_credential_file()
    {
        await RunAsync("setup", "--sites", DemoSite, "--state", _state);

        var (code, output, _) = await RunAsync("show", "ingest", "--state", _state);

        Assert.Equal(0, code);
        Assert.Equal($"username ingest\npassword-file {Path.Combine(_state, "credentials", "ingest.password")}\n", output.ReplaceLineEndings("\n"));
    }

    [Theory]
    [InlineData("an unknown site file", "site file", "setup", "--sites", "no-such-site.json", "--state", "{state}")]
    [InlineData("an unknown principal", "'gateway-nowhere-gw-1' is not a principal", "rotate", "gateway-nowhere-gw-1", "--sites", "{demo}", "--state", "{state}")]
    [InlineData("a malformed extra principal", "must be <name>:<acl line>", "setup", "--sites", "{demo}", "--state", "{state}", "--extra-principal", "harness")]
    [InlineData("a bad ACL line", "access must be read, write or readwrite", "setup", "--sites", "{demo}", "--state", "{state}", "--extra-principal", "harness:topic all #")]
    [InlineData("a missing state folder", "--state <dir> is required", "setup", "--sites", "{demo}")]
    [InlineData("an unknown command", "unknown command 'grant'", "grant", "ingest")]
    [InlineData("a principal name that leaves the folder", "not a valid principal name", "show", "../ingest", "--state", "{state}")]
    [InlineData("a principal without credentials", "has no credentials", "show", "nobody", "--state", "{state}")]
    public async Task A_bad_input_gets_a_specific_message_and_exit_code_2(string what, string message, params string[] args)
    {
        var (code, _, error) = await RunAsync([.. args.Select(a => a.Replace("{state}", _state, StringComparison.Ordinal).Replace("{demo}", DemoSite, StringComparison.Ordinal))]);

        Assert.True(code == 2, $"{what}: exit code {code}");
        Assert.Contains(message, error, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_state, recursive: true);

    private static async Task<(int Code, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await AccessCommand.RunAsync(args, output, error, CancellationToken.None);
        return (code, output.ToString(), error.ToString());
    }
}
