using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Identity;
using Microsoft.Data.Sqlite;
using Telemetry.Contracts;
using Telemetry.Maintenance.Storage;

namespace Telemetry.Api.Access;

/// <summary>What a user may do (domain: operators, crews, engineers, admins).</summary>
public enum Role
{
    /// <summary>Monitoring room: watches the plant, opens and reassigns tickets, switches lighting.</summary>
    Operator,

    /// <summary>Maintenance crew: acts on its own crews' tickets.</summary>
    Crew,

    /// <summary>Tunes thresholds, runs backtests and tests, writes points.</summary>
    Engineer,

    /// <summary>Manages users and the service-level policy.</summary>
    Admin,
}

/// <summary>A user as the Api knows it: never its password.</summary>
/// <param name="Name">The sign-in name (an identifier: lower-case letters, digits, <c>-</c>, <c>_</c>, <c>.</c>).</param>
/// <param name="Roles">What the user may do.</param>
/// <param name="Crews">The crews (alert channels) a crew member belongs to.</param>
/// <param name="LockedUntil">Set while sign-in is locked after repeated failures.</param>
public sealed record ApiUser(string Name, IReadOnlySet<Role> Roles, IReadOnlySet<string> Crews, DateTimeOffset? LockedUntil);

/// <summary>The outcome of a sign-in attempt.</summary>
public enum SignInOutcome
{
    SignedIn,

    /// <summary>Unknown name or wrong password; the two are not told apart.</summary>
    Refused,

    /// <summary>Too many failures: refused without checking the password until the lockout ends.</summary>
    LockedOut,
}

/// <summary>A bearer token as stored: its id and lifetime, never the token itself.</summary>
public sealed record TokenInfo(string Id, string User, string Client, DateTimeOffset IssuedAt, DateTimeOffset ExpiresAt, DateTimeOffset? RevokedAt);

/// <summary>Settings of sign-in.</summary>
public sealed record AccessOptions
{
    /// <summary>Consecutive failed sign-ins that lock a user out.</summary>
    public int MaxFailedSignIns { get; init; } = 5;

    /// <summary>How long a lockout lasts.</summary>
    public TimeSpan Lockout { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>The shortest password accepted.</summary>
    public int MinPasswordLength { get; init; } = 12;

    /// <summary>How long a bearer token lives unless asked for less.</summary>
    public TimeSpan TokenLifetime { get; init; } = TimeSpan.FromDays(30);
}

/// <summary>A user or password the store refuses, with the reason.</summary>
public sealed class AccessException(string message) : Exception(message);

/// <summary>
/// Users, their password hashes (ASP.NET Core Identity's hasher: PBKDF2 with a salt per password), their roles and
/// crews, sign-in lockout, and bearer tokens for API clients, in the maintenance database beside the tickets. Tokens
/// are random 256-bit values handed out once; only their SHA-256 is stored, so a copy of the database signs nobody in.
/// </summary>
public sealed class UserStore
{
    private const string Schema = """
        CREATE TABLE IF NOT EXISTS api_users (
            name TEXT NOT NULL PRIMARY KEY,
            password_hash TEXT NOT NULL,
            roles TEXT NOT NULL,
            crews TEXT NOT NULL,
            failed_sign_ins INTEGER NOT NULL DEFAULT 0,
            locked_until INTEGER,
            created_at INTEGER NOT NULL
        ) STRICT;
        CREATE TABLE IF NOT EXISTS api_tokens (
            id TEXT NOT NULL PRIMARY KEY,
            token_hash TEXT NOT NULL UNIQUE,
            user_name TEXT NOT NULL REFERENCES api_users (name) ON DELETE CASCADE,
            client TEXT NOT NULL,
            issued_at INTEGER NOT NULL,
            expires_at INTEGER NOT NULL,
            revoked_at INTEGER
        ) STRICT;
        """;

    private readonly ApiTables tables;
    private readonly TimeProvider clock;
    private readonly AccessOptions options;
    private readonly PasswordHasher<string> hasher = new();

    public UserStore(SqliteDatabase database, TimeProvider clock, AccessOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(clock);
        tables = new ApiTables(database, Schema);
        this.clock = clock;
        this.options = options ?? new AccessOptions();
    }

    /// <summary>Adds a user, or replaces the password, roles and crews of one of that name (which also ends a lockout).</summary>
    /// <exception cref="AccessException">The name is no identifier, the password too short, no role given, a crew no identifier, or a crew member without a crew.</exception>
    public async Task<ApiUser> SetAsync(string name, string password, IReadOnlyCollection<Role> roles, IReadOnlyCollection<string> crews, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(roles);
        ArgumentNullException.ThrowIfNull(crews);
        Check(name, password, roles, crews);
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO api_users (name, password_hash, roles, crews, failed_sign_ins, locked_until, created_at)
            VALUES ($name, $hash, $roles, $crews, 0, NULL, $now)
            ON CONFLICT (name) DO UPDATE SET password_hash = excluded.password_hash, roles = excluded.roles,
                crews = excluded.crews, failed_sign_ins = 0, locked_until = NULL;
            """;
        command.Parameters.AddWithValue("$name", name);
        command.Parameters.AddWithValue("$hash", hasher.HashPassword(name, password));
        command.Parameters.AddWithValue("$roles", string.Join(',', roles.Distinct().Order().Select(Names.Of)));
        command.Parameters.AddWithValue("$crews", string.Join(',', crews.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)));
        command.Parameters.AddWithValue("$now", clock.GetUtcNow().ToUnixTimeMilliseconds());
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        return (await FindAsync(name, cancellationToken).ConfigureAwait(false))!;
    }

    /// <summary>Replaces the roles and crews of an existing user, keeping its password; false when there is no such user.</summary>
    /// <exception cref="AccessException">No role given, a crew no identifier, or a crew member without a crew.</exception>
    public async Task<bool> SetRolesAsync(string name, IReadOnlyCollection<Role> roles, IReadOnlyCollection<string> crews, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(roles);
        ArgumentNullException.ThrowIfNull(crews);
        Check(name, new string('x', options.MinPasswordLength), roles, crews);
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "UPDATE api_users SET roles = $roles, crews = $crews WHERE name = $name;";
        command.Parameters.AddWithValue("$name", name);
        command.Parameters.AddWithValue("$roles", string.Join(',', roles.Distinct().Order().Select(Names.Of)));
        command.Parameters.AddWithValue("$crews", string.Join(',', crews.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)));
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    /// <summary>Replaces the password of an existing user (which also ends a lockout); false when there is no such user.</summary>
    /// <exception cref="AccessException">The password is too short.</exception>
    public async Task<bool> SetPasswordAsync(string name, string password, CancellationToken cancellationToken)
    {
        if (password is null || password.Length < options.MinPasswordLength)
        {
            throw new AccessException($"a password has at least {options.MinPasswordLength} characters");
        }

        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "UPDATE api_users SET password_hash = $hash, failed_sign_ins = 0, locked_until = NULL WHERE name = $name;";
        command.Parameters.AddWithValue("$name", name);
        command.Parameters.AddWithValue("$hash", hasher.HashPassword(name, password));
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    /// <summary>
    /// Whether <paramref name="user"/> is locked out for longer than failed sign-ins can lock anyone: locked by an
    /// administrator, so that even a session already open ends.
    /// </summary>
    public bool IsLockedByAdministrator(ApiUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return user.LockedUntil is { } until && until > clock.GetUtcNow() + options.Lockout;
    }

    /// <summary>Locks a user out until <paramref name="until"/>, or lifts a lockout (null); false when there is no such user.</summary>
    public async Task<bool> LockAsync(string name, DateTimeOffset? until, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "UPDATE api_users SET failed_sign_ins = 0, locked_until = $until WHERE name = $name;";
        command.Parameters.AddWithValue("$name", name);
        command.Parameters.AddWithValue("$until", until is { } at ? at.ToUnixTimeMilliseconds() : DBNull.Value);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    /// <summary>Removes a user and its tokens; false when there is no such user.</summary>
    public async Task<bool> RemoveAsync(string name, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = SqliteDatabase.BeginWrite(connection);
        await using var tokens = connection.CreateCommand();
        tokens.Transaction = transaction;
        tokens.CommandText = "DELETE FROM api_tokens WHERE user_name = $name;";
        tokens.Parameters.AddWithValue("$name", name);
        await tokens.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "DELETE FROM api_users WHERE name = $name;";
        command.Parameters.AddWithValue("$name", name);
        var removed = await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return removed;
    }

    /// <summary>The user of that name, or null.</summary>
    public async Task<ApiUser?> FindAsync(string name, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        return (await ReadUserAsync(connection, name, cancellationToken).ConfigureAwait(false))?.User;
    }

    /// <summary>Every user, by name.</summary>
    public async Task<IReadOnlyList<ApiUser>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT name, roles, crews, locked_until FROM api_users ORDER BY name;";
        var users = new List<ApiUser>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            users.Add(UserOf(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetInt64(3)));
        }

        return users;
    }

    /// <summary>
    /// Checks a password. A failure counts towards the lockout; reaching the limit locks the user out for
    /// <see cref="AccessOptions.Lockout"/>, during which even the right password is refused. A success resets the count.
    /// </summary>
    public async Task<(SignInOutcome Outcome, ApiUser? User)> SignInAsync(string name, string password, CancellationToken cancellationToken)
    {
        if (!Identifiers.IsValid(name) || string.IsNullOrEmpty(password))
        {
            return (SignInOutcome.Refused, null);
        }

        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = SqliteDatabase.BeginWrite(connection);
        var found = await ReadUserAsync(connection, name, cancellationToken, transaction).ConfigureAwait(false);
        var now = clock.GetUtcNow();
        if (found is not { } stored)
        {
            // Hash anyway, so that an unknown name takes as long as a wrong password.
            hasher.VerifyHashedPassword(name, DummyHash.Value, password);
            return (SignInOutcome.Refused, null);
        }

        if (stored.User.LockedUntil is { } until && until > now)
        {
            return (SignInOutcome.LockedOut, stored.User);
        }

        var verified = hasher.VerifyHashedPassword(name, stored.Hash, password);
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.Parameters.AddWithValue("$name", name);
        if (verified == PasswordVerificationResult.Failed)
        {
            var failed = stored.Failed + 1;
            var locks = failed >= options.MaxFailedSignIns;
            command.CommandText = "UPDATE api_users SET failed_sign_ins = $failed, locked_until = $until WHERE name = $name;";
            command.Parameters.AddWithValue("$failed", locks ? 0 : failed);
            command.Parameters.AddWithValue("$until", locks ? (now + options.Lockout).ToUnixTimeMilliseconds() : DBNull.Value);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return (locks ? SignInOutcome.LockedOut : SignInOutcome.Refused, null);
        }

        command.CommandText = verified == PasswordVerificationResult.SuccessRehashNeeded
            ? "UPDATE api_users SET failed_sign_ins = 0, locked_until = NULL, password_hash = $hash WHERE name = $name;"
            : "UPDATE api_users SET failed_sign_ins = 0, locked_until = NULL WHERE name = $name;";
        if (verified == PasswordVerificationResult.SuccessRehashNeeded)
        {
            command.Parameters.AddWithValue("$hash", hasher.HashPassword(name, password));
        }

        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return (SignInOutcome.SignedIn, stored.User with { LockedUntil = null });
    }

    /// <summary>Issues a bearer token for <paramref name="user"/>; the token is returned once and only its hash is kept.</summary>
    /// <param name="user">The signed-in user.</param>
    /// <param name="client">What the token is for, shown in the user's token list (<c>crew phone</c>, <c>city hotline</c>).</param>
    /// <param name="lifetime">How long it lives; <see cref="AccessOptions.TokenLifetime"/> when null, never longer.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    public async Task<(string Token, TokenInfo Info)> IssueTokenAsync(string user, string client, TimeSpan? lifetime, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(client);
        if (client.Length > 100)
        {
            throw new AccessException("a token's client is at most 100 characters");
        }

        var life = lifetime is { } asked && asked > TimeSpan.Zero && asked < options.TokenLifetime ? asked : options.TokenLifetime;
        var secret = RandomNumberGenerator.GetBytes(32);
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        var token = "tlm_" + id + "_" + Base64Url(secret);
        var now = clock.GetUtcNow();
        var info = new TokenInfo(id, user, client, now, now + life, null);
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO api_tokens (id, token_hash, user_name, client, issued_at, expires_at)
            VALUES ($id, $hash, $user, $client, $issued, $expires);
            """;
        command.Parameters.AddWithValue("$id", id);
        command.Parameters.AddWithValue("$hash", Hash(token));
        command.Parameters.AddWithValue("$user", user);
        command.Parameters.AddWithValue("$client", client);
        command.Parameters.AddWithValue("$issued", now.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$expires", info.ExpiresAt.ToUnixTimeMilliseconds());
        try
        {
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (SqliteException e) when (e.SqliteErrorCode == 19)
        {
            throw new AccessException($"no user {user} to issue a token to");
        }

        return (token, info);
    }

    /// <summary>The user a bearer token signs in, or null when it is unknown, expired or revoked.</summary>
    public async Task<(ApiUser User, TokenInfo Info)?> ValidateTokenAsync(string token, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 200 || !token.StartsWith("tlm_", StringComparison.Ordinal))
        {
            return null;
        }

        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT t.id, t.user_name, t.client, t.issued_at, t.expires_at, u.roles, u.crews, u.locked_until
            FROM api_tokens t JOIN api_users u ON u.name = t.user_name
            WHERE t.token_hash = $hash AND t.revoked_at IS NULL AND t.expires_at > $now;
            """;
        command.Parameters.AddWithValue("$hash", Hash(token));
        command.Parameters.AddWithValue("$now", clock.GetUtcNow().ToUnixTimeMilliseconds());
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        var user = UserOf(reader.GetString(1), reader.GetString(5), reader.GetString(6), reader.IsDBNull(7) ? null : reader.GetInt64(7));
        var info = new TokenInfo(reader.GetString(0), user.Name, reader.GetString(2), Time(reader.GetInt64(3)), Time(reader.GetInt64(4)), null);
        return (user, info);
    }

    /// <summary>Revokes a token of <paramref name="user"/>; false when the user has no such token, or it is already revoked.</summary>
    public async Task<bool> RevokeTokenAsync(string user, string id, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "UPDATE api_tokens SET revoked_at = $now WHERE id = $id AND user_name = $user AND revoked_at IS NULL;";
        command.Parameters.AddWithValue("$id", id);
        command.Parameters.AddWithValue("$user", user);
        command.Parameters.AddWithValue("$now", clock.GetUtcNow().ToUnixTimeMilliseconds());
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    /// <summary>A user's tokens, newest first, revoked and expired ones included.</summary>
    public async Task<IReadOnlyList<TokenInfo>> TokensAsync(string user, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, client, issued_at, expires_at, revoked_at FROM api_tokens WHERE user_name = $user ORDER BY issued_at DESC, id;";
        command.Parameters.AddWithValue("$user", user);
        var tokens = new List<TokenInfo>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            tokens.Add(new TokenInfo(reader.GetString(0), user, reader.GetString(1), Time(reader.GetInt64(2)), Time(reader.GetInt64(3)),
                reader.IsDBNull(4) ? null : Time(reader.GetInt64(4))));
        }

        return tokens;
    }

    private void Check(string name, string password, IReadOnlyCollection<Role> roles, IReadOnlyCollection<string> crews)
    {
        if (!Identifiers.IsValid(name))
        {
            throw new AccessException($"'{name}' is not a user name: {Identifiers.Rule}");
        }

        if (password is null || password.Length < options.MinPasswordLength)
        {
            throw new AccessException($"a password has at least {options.MinPasswordLength} characters");
        }

        if (roles.Count == 0 || roles.Any(r => !Enum.IsDefined(r)))
        {
            throw new AccessException("a user has at least one role: operator, crew, engineer or admin");
        }

        if (crews.FirstOrDefault(c => !Identifiers.IsValid(c)) is { } crew)
        {
            throw new AccessException($"'{crew}' is not a crew: {Identifiers.Rule}");
        }

        if (roles.Contains(Role.Crew) && crews.Count == 0)
        {
            throw new AccessException("a crew member belongs to at least one crew");
        }
    }

    private Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken) => tables.OpenAsync(cancellationToken);

    private static async Task<(ApiUser User, string Hash, int Failed)?> ReadUserAsync(SqliteConnection connection, string name, CancellationToken cancellationToken, SqliteTransaction? transaction = null)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT name, roles, crews, locked_until, password_hash, failed_sign_ins FROM api_users WHERE name = $name;";
        command.Parameters.AddWithValue("$name", name);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        return (UserOf(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetInt64(3)), reader.GetString(4), (int)reader.GetInt64(5));
    }

    private static ApiUser UserOf(string name, string roles, string crews, long? lockedUntil) => new(
        name,
        roles.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(Names.Parse).OfType<Role>().ToHashSet(),
        crews.Split(',', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal),
        lockedUntil is { } ms ? Time(ms) : null);

    private static DateTimeOffset Time(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);

    private static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>A hash of no password of anyone's, so that an unknown name costs a verification too.</summary>
    private static readonly Lazy<string> DummyHash = new(() => new PasswordHasher<string>().HashPassword("", Convert.ToHexString(RandomNumberGenerator.GetBytes(16))));

    /// <summary>Roles by their names in the Api and in storage.</summary>
    public static class Names
    {
        public static string Of(Role role) => role switch
        {
            Role.Operator => "operator",
            Role.Crew => "crew",
            Role.Engineer => "engineer",
            Role.Admin => "admin",
            _ => throw new ArgumentOutOfRangeException(nameof(role), role, "unknown role"),
        };

        public static Role? Parse(string? name) => name switch
        {
            "operator" => Role.Operator,
            "crew" => Role.Crew,
            "engineer" => Role.Engineer,
            "admin" => Role.Admin,
            _ => null,
        };
    }
}
