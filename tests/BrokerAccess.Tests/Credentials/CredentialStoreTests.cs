using Telemetry.BrokerAccess.Credentials;
using Telemetry.Testing;

namespace Telemetry.BrokerAccess.Tests.Credentials;

public sealed class CredentialStoreTests : IDisposable
{
    private readonly string _directory = RepositoryPaths.NewScratchDirectory("credentials");

    [Fact]
    public void A_new_password_is_long_random_and_readable_by_its_owner_only()
    {
        var store = new CredentialStore(_directory);

        var (password, created) = store.Ensure("ingest");

        Assert.True(created);
        Assert.True(password.Length >= 24, $"{password.Length} characters");
        Assert.NotEqual(password, store.Renew("rules"));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(store.PathOf("ingest")));
        Assert.Equal(Path.Combine(_directory, "ingest.password"), store.PathOf("ingest"));
    }

    [Fact]
    public void An_existing_password_is_kept()
    {
        var store = new CredentialStore(_directory);
        var (first, _) = store.Ensure("api");

        var (again, created) = store.Ensure("api");

        Assert.False(created);
        Assert.Equal(first, again);
    }

    [Fact]
    public void Renewing_replaces_the_password()
    {
        var store = new CredentialStore(_directory);
        var (first, _) = store.Ensure("gateway-demo-gw-demo-01");

        var renewed = store.Renew("gateway-demo-gw-demo-01");

        Assert.NotEqual(first, renewed);
        Assert.Equal(renewed, store.Read("gateway-demo-gw-demo-01"));
    }

    [Fact]
    public void A_name_that_would_leave_the_folder_is_refused() =>
        Assert.Throws<ArgumentException>(() => new CredentialStore(_directory).PathOf("../etc"));

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
