using Telemetry.BrokerAccess.Mosquitto;
using Telemetry.Testing;

namespace Telemetry.BrokerAccess.Tests.Mosquitto;

public sealed class PasswordHashTests
{
    [Fact]
    public void A_hash_has_mosquittos_sha512_pbkdf2_layout_and_a_fresh_salt_each_time()
    {
        var first = PasswordHash.Create("correct horse");
        var second = PasswordHash.Create("correct horse");

        Assert.Matches(@"^\$7\$101\$[A-Za-z0-9+/]{16}\$[A-Za-z0-9+/]{86}==$", first);
        Assert.NotEqual(first, second);
        Assert.True(PasswordHash.Matches(first, "correct horse"));
        Assert.False(PasswordHash.Matches(first, "correct horsf"));
    }

    [Fact]
    public async Task A_hash_made_by_mosquitto_passwd_is_matched_so_the_two_agree()
    {
        var directory = RepositoryPaths.NewScratchDirectory("passwd");
        var file = Path.Combine(directory, "passwords");
        await File.WriteAllTextAsync(file, "");

        (await ExternalCommand.RunAsync("mosquitto_passwd", ["-b", file, "someone", "s3cret-Pass"])).EnsureSuccess("mosquitto_passwd");
        var hash = (await File.ReadAllTextAsync(file)).Trim().Split(':', 2)[1];

        Assert.True(PasswordHash.Matches(hash, "s3cret-Pass"));
        Assert.False(PasswordHash.Matches(hash, "s3cret-pass"));
        Directory.Delete(directory, recursive: true);
    }

    [Fact]
    public void A_known_salt_gives_mosquittos_hash() =>

        // Made by mosquitto_passwd 2.0.11 for user 'gw' and password 'secret'.
        Assert.True(PasswordHash.Matches("$7$101$H84VcBGOnONfRo/k$0pLdTDeCSJfRPLFY6Wd8kyaFGjdfD189ZwN2tsOZKYzKqghuG0RZ+c5488LzMMFX1/glFS6WEEJTSOyS4CB3cA==", "secret"));

    [Theory]
    [InlineData("$6$101$salt$hash")]
    [InlineData("$7$x$c2FsdA==$aGFzaA==")]
    [InlineData("$7$101$not base64$aGFzaA==")]
    [InlineData("plain")]
    public void A_malformed_hash_matches_nothing(string encoded) => Assert.False(PasswordHash.Matches(encoded, "secret"));
}
