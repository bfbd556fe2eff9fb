using Microsoft.Extensions.Time.Testing;
using Telemetry.Api.Tickets;
using Telemetry.Maintenance.Storage;
using Telemetry.Testing;

namespace Telemetry.Api.Tests.Tickets;

/// <summary>Idempotency keys on a SQLite file of their own, with time moved by hand.</summary>
public sealed class IdempotencyStoreTests
{
    private const string Path = "/api/tickets/YW2612-0001/resolve";

    private static readonly StoredAnswer Answer = new(200, "application/json", "{}"u8.ToArray(), "\"4\"", null);

    private readonly FakeTimeProvider clock = new(new DateTimeOffset(2026, 12, 7, 20, 0, 0, TimeSpan.Zero));
    private readonly IdempotencyStore store;

    public IdempotencyStoreTests() =>
        store = new IdempotencyStore(new SqliteDatabase(System.IO.Path.Combine(RepositoryPaths.NewScratchDirectory("idempotency"), "maintenance.db")), clock);

    [Fact]
    public async Task A_key_and_its_answer_are_kept_24_hours_then_the_key_is_new_again()
    {
        await store.BeginAsync("crew.li", "k", "POST", Path, "h", CancellationToken.None);
        await store.CompleteAsync("crew.li", "k", Answer, CancellationToken.None);

        clock.Advance(TimeSpan.FromHours(23));
        var (kept, answer) = await store.BeginAsync("crew.li", "k", "POST", Path, "h", CancellationToken.None);
        clock.Advance(TimeSpan.FromHours(1) + TimeSpan.FromSeconds(1));
        var (expired, _) = await store.BeginAsync("crew.li", "k", "POST", Path, "h", CancellationToken.None);

        Assert.Equal(IdempotencyOutcome.Answered, kept);
        Assert.Equal(Answer.Body, answer!.Body);
        Assert.Equal(IdempotencyOutcome.Started, expired);
    }

    [Fact]
    public async Task A_key_whose_request_never_answered_is_free_again_after_two_minutes()
    {
        await store.BeginAsync("crew.li", "k", "POST", Path, "h", CancellationToken.None);

        var (during, _) = await store.BeginAsync("crew.li", "k", "POST", Path, "h", CancellationToken.None);
        clock.Advance(IdempotencyStore.Abandoned + TimeSpan.FromSeconds(1));
        var (after, _) = await store.BeginAsync("crew.li", "k", "POST", Path, "h", CancellationToken.None);

        Assert.Equal(IdempotencyOutcome.InProgress, during);
        Assert.Equal(IdempotencyOutcome.Started, after);
    }

    [Theory]
    [InlineData("POST", "/api/tickets/YW2612-0001/close", "h")]
    [InlineData("POST", Path, "other body")]
    public async Task A_key_sent_with_another_path_or_body_is_a_mismatch(string method, string path, string hash)
    {
        await store.BeginAsync("crew.li", "k", "POST", Path, "h", CancellationToken.None);
        await store.CompleteAsync("crew.li", "k", Answer, CancellationToken.None);

        var (outcome, answer) = await store.BeginAsync("crew.li", "k", method, path, hash, CancellationToken.None);

        Assert.Equal(IdempotencyOutcome.Mismatch, outcome);
        Assert.Null(answer);
    }

    [Theory]
    [InlineData("", false)]
    [InlineData("a", true)]
    [InlineData("0c6f1d3e-8f4a-4b7e-9d2c-1a5b3c7d9e0f", true)]
    [InlineData("with space ~!", true)]
    [InlineData("tab\there", false)]
    [InlineData("\u00e9t\u00e9", false)]
    public void A_key_is_1_to_128_printable_ascii_characters(string key, bool valid)
    {
        Assert.Equal(valid, IdempotencyStore.IsValidKey(key));
        Assert.False(IdempotencyStore.IsValidKey(new string('k', IdempotencyStore.MaxKeyLength + 1)));
        Assert.True(IdempotencyStore.IsValidKey(new string('k', IdempotencyStore.MaxKeyLength)));
    }
}
