using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;
using Telemetry.Api.Access;
using Telemetry.Maintenance.Storage;
using Telemetry.Testing;

namespace Telemetry.Api.Tests.Access;

/// <summary>Users, passwords, lockout and tokens on a real SQLite file.</summary>
public sealed class UserStoreTests
{
    private const string Password = "correct horse battery";

    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 12, 7, 8, 0, 0, TimeSpan.Zero));
    private readonly string path = Path.Combine(RepositoryPaths.NewScratchDirectory("users"), "maintenance.db");
    private readonly UserStore store;

    public UserStoreTests() => store = new UserStore(new SqliteDatabase(path), time);

    private static CancellationToken Cancel => CancellationToken.None;

    [Fact]
    public async Task A_user_keeps_its_roles_and_crews_and_never_its_password()
    {
        await store.SetAsync("li.wei", Password, [Role.Crew], ["crew-north", "crew-east"], Cancel);

        var user = await store.FindAsync("li.wei", Cancel);

        Assert.Equal([Role.Crew], user!.Roles);
        Assert.Equal(["crew-east", "crew-north"], user.Crews.Order(StringComparer.Ordinal));
        Assert.DoesNotContain(Password, await File.ReadAllTextAsync(path, Cancel), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Li Wei", Password, "user name")]
    [InlineData("li.wei", "short", "at least 12")]
    [InlineData("li.wei", "<script>alert(1)</script>", "crew")]
    public async Task A_bad_user_is_refused_with_the_reason(string name, string password, string reason)
    {
        var error = await Assert.ThrowsAsync<AccessException>(() => store.SetAsync(name, password, [Role.Crew], [], Cancel));

        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_right_password_signs_in_and_a_wrong_one_or_an_unknown_name_is_refused_alike()
    {
        await store.SetAsync("zhang.min", Password, [Role.Operator], [], Cancel);

        Assert.Equal(SignInOutcome.SignedIn, (await store.SignInAsync("zhang.min", Password, Cancel)).Outcome);
        Assert.Equal(SignInOutcome.Refused, (await store.SignInAsync("zhang.min", Password + "!", Cancel)).Outcome);
        Assert.Equal(SignInOutcome.Refused, (await store.SignInAsync("nobody", Password, Cancel)).Outcome);
        Assert.Equal(SignInOutcome.Refused, (await store.SignInAsync("'; DROP TABLE api_users; --", Password, Cancel)).Outcome);
    }

    [Fact]
    public async Task Five_failures_lock_the_user_out_even_with_the_right_password_until_the_lockout_ends()
    {
        await store.SetAsync("zhang.min", Password, [Role.Operator], [], Cancel);
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(SignInOutcome.Refused, (await store.SignInAsync("zhang.min", "guess " + i, Cancel)).Outcome);
        }

        Assert.Equal(SignInOutcome.LockedOut, (await store.SignInAsync("zhang.min", "guess 5", Cancel)).Outcome);
        Assert.Equal(SignInOutcome.LockedOut, (await store.SignInAsync("zhang.min", Password, Cancel)).Outcome);

        time.Advance(TimeSpan.FromMinutes(15));
        Assert.Equal(SignInOutcome.SignedIn, (await store.SignInAsync("zhang.min", Password, Cancel)).Outcome);
    }

    [Fact]
    public async Task A_success_resets_the_count_of_failures()
    {
        await store.SetAsync("zhang.min", Password, [Role.Operator], [], Cancel);
        for (var round = 0; round < 3; round++)
        {
            for (var i = 0; i < 4; i++)
            {
                await store.SignInAsync("zhang.min", "guess", Cancel);
            }

            Assert.Equal(SignInOutcome.SignedIn, (await store.SignInAsync("zhang.min", Password, Cancel)).Outcome);
        }
    }

    [Fact]
    public async Task A_token_signs_its_user_in_until_it_expires_or_is_revoked()
    {
        await store.SetAsync("li.wei", Password, [Role.Crew], ["crew-north"], Cancel);
        var (token, info) = await store.IssueTokenAsync("li.wei", "crew phone", TimeSpan.FromDays(1), Cancel);
        var (other, otherInfo) = await store.IssueTokenAsync("li.wei", "tablet", null, Cancel);

        Assert.Equal("li.wei", (await store.ValidateTokenAsync(token, Cancel))!.Value.User.Name);
        Assert.Null(await store.ValidateTokenAsync(token + "x", Cancel));

        time.Advance(TimeSpan.FromDays(1));
        Assert.Null(await store.ValidateTokenAsync(token, Cancel));
        Assert.NotNull(await store.ValidateTokenAsync(other, Cancel));

        Assert.True(await store.RevokeTokenAsync("li.wei", otherInfo.Id, Cancel));
        Assert.False(await store.RevokeTokenAsync("li.wei", otherInfo.Id, Cancel));
        Assert.Null(await store.ValidateTokenAsync(other, Cancel));
        var listed = await store.TokensAsync("li.wei", Cancel);
        Assert.Equal(new[] { info.Id, otherInfo.Id }.Order(StringComparer.Ordinal), listed.Select(t => t.Id).Order(StringComparer.Ordinal));
        Assert.NotNull(Assert.Single(listed, t => t.Id == otherInfo.Id).RevokedAt);
    }

    [Fact]
    public async Task Only_a_hash_of_a_token_is_stored_and_another_user_cannot_revoke_it()
    {
        await store.SetAsync("li.wei", Password, [Role.Crew], ["crew-north"], Cancel);
        await store.SetAsync("wang.fang", Password, [Role.Crew], ["crew-east"], Cancel);
        var (token, info) = await store.IssueTokenAsync("li.wei", "crew phone", null, Cancel);

        await using (var connection = new SqliteConnection($"Data Source={path}"))
        {
            await connection.OpenAsync(Cancel);
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT count(*) FROM api_tokens WHERE token_hash = $token OR id = $token";
            command.Parameters.AddWithValue("$token", token);
            Assert.Equal(0L, (long)(await command.ExecuteScalarAsync(Cancel))!);
        }

        Assert.False(await store.RevokeTokenAsync("wang.fang", info.Id, Cancel));
        Assert.NotNull(await store.ValidateTokenAsync(token, Cancel));
    }

    [Fact]
    public async Task A_token_asked_to_live_longer_than_allowed_lives_the_allowed_time()
    {
        await store.SetAsync("hotline", Password, [Role.Operator], [], Cancel);

        var (_, info) = await store.IssueTokenAsync("hotline", "city hotline", TimeSpan.FromDays(3650), Cancel);

        Assert.Equal(TimeSpan.FromDays(30), info.ExpiresAt - info.IssuedAt);
    }
}
