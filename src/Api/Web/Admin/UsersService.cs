using System.Security.Claims;
using Telemetry.Api.Access;
using Telemetry.Contracts;

namespace Telemetry.Api.Web.Admin;

/// <summary>What a user step found wrong, by field (<c>name</c>, <c>roles</c>, <c>crews</c>): a word of <see cref="AdminText"/> and the store's own text, if any.</summary>
public sealed record UserProblem(string Field, string Text, string? Detail = null);

/// <summary>The outcome of a user step: the user as now stored and, when one was made, the password to hand over (shown once); or the problems.</summary>
public sealed record UserOutcome(ApiUser? User, string? Password, IReadOnlyList<UserProblem> Problems);

/// <summary>
/// The users page's steps on the <see cref="UserStore"/>: list, add with a generated password, change roles and crews,
/// reset a password, lock, unlock and remove. An admin cannot lock out or remove itself, nor take its own admin role.
/// </summary>
public sealed class UsersService(UserStore users, TimeProvider clock)
{
    /// <summary>How long a lock set by an admin lasts: until an admin unlocks the user.</summary>
    public static readonly TimeSpan LockFor = TimeSpan.FromDays(3650);

    /// <summary>The roles an admin can give, in the order the page shows them.</summary>
    public static readonly IReadOnlyList<Role> Roles = [Role.Operator, Role.Crew, Role.Engineer, Role.Admin];

    /// <summary>Every user, by name.</summary>
    public Task<IReadOnlyList<ApiUser>> ListAsync(CancellationToken cancellationToken) => users.ListAsync(cancellationToken);

    /// <summary>Whether the user is locked out now.</summary>
    public bool IsLocked(ApiUser user) => user?.LockedUntil is { } until && until > clock.GetUtcNow();

    /// <summary>Splits a crews field (<c>crew-north, crew-masts</c>) into crews.</summary>
    public static IReadOnlyList<string> Crews(string? text) =>
        [.. (text ?? "").Split([',', ' ', '，', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct(StringComparer.Ordinal)];

    /// <summary>Adds a new user with a generated password, shown once.</summary>
    public async Task<UserOutcome> AddAsync(string? name, IReadOnlyCollection<Role> roles, string? crews, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(roles);
        var problems = Check(roles, crews).ToList();
        name = name?.Trim();
        if (string.IsNullOrEmpty(name))
        {
            problems.Add(new("name", "Problem.NameRequired"));
        }
        else if (!Identifiers.IsValid(name))
        {
            problems.Add(new("name", "Problem.NameInvalid"));
        }
        else if (await users.FindAsync(name, cancellationToken) is not null)
        {
            problems.Add(new("name", "Problem.NameTaken"));
        }

        if (problems.Count > 0)
        {
            return new(null, null, problems);
        }

        var password = UserCommand.Generated();
        try
        {
            return new(await users.SetAsync(name!, password, roles, Crews(crews), cancellationToken), password, []);
        }
        catch (AccessException ex)
        {
            return new(null, null, [new("name", "Problem.Refused", ex.Message)]);
        }
    }

    /// <summary>Replaces the roles and crews of <paramref name="name"/>; an admin keeps its own admin role.</summary>
    public async Task<UserOutcome> ChangeAsync(ClaimsPrincipal admin, string name, IReadOnlyCollection<Role> roles, string? crews, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(admin);
        ArgumentNullException.ThrowIfNull(roles);
        var problems = Check(roles, crews).ToList();
        if (IsSelf(admin, name) && !roles.Contains(Role.Admin))
        {
            problems.Add(new("roles", "Problem.OwnAdmin"));
        }

        if (problems.Count > 0)
        {
            return new(null, null, problems);
        }

        try
        {
            return await users.SetRolesAsync(name, roles, Crews(crews), cancellationToken)
                ? new(await users.FindAsync(name, cancellationToken), null, [])
                : new(null, null, [new("name", "Problem.NoSuchUser")]);
        }
        catch (AccessException ex)
        {
            return new(null, null, [new("crews", "Problem.Refused", ex.Message)]);
        }
    }

    /// <summary>Gives <paramref name="name"/> a new generated password, shown once; this also ends a lockout.</summary>
    public async Task<UserOutcome> ResetPasswordAsync(string name, CancellationToken cancellationToken)
    {
        var password = UserCommand.Generated();
        return await users.SetPasswordAsync(name, password, cancellationToken)
            ? new(await users.FindAsync(name, cancellationToken), password, [])
            : new(null, null, [new("name", "Problem.NoSuchUser")]);
    }

    /// <summary>Locks <paramref name="name"/> out (<paramref name="locked"/>) until unlocked, or unlocks it; never the admin itself.</summary>
    public async Task<UserOutcome> LockAsync(ClaimsPrincipal admin, string name, bool locked, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(admin);
        if (locked && IsSelf(admin, name))
        {
            return new(null, null, [new("name", "Problem.Self")]);
        }

        return await users.LockAsync(name, locked ? clock.GetUtcNow() + LockFor : null, cancellationToken)
            ? new(await users.FindAsync(name, cancellationToken), null, [])
            : new(null, null, [new("name", "Problem.NoSuchUser")]);
    }

    /// <summary>Removes <paramref name="name"/> and its tokens; never the admin itself.</summary>
    public async Task<UserOutcome> RemoveAsync(ClaimsPrincipal admin, string name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(admin);
        if (IsSelf(admin, name))
        {
            return new(null, null, [new("name", "Problem.Self")]);
        }

        return await users.RemoveAsync(name, cancellationToken) ? new(null, null, []) : new(null, null, [new("name", "Problem.NoSuchUser")]);
    }

    private static bool IsSelf(ClaimsPrincipal admin, string name) => string.Equals(admin.Identity?.Name, name, StringComparison.Ordinal);

    private static IEnumerable<UserProblem> Check(IReadOnlyCollection<Role> roles, string? crews)
    {
        if (roles.Count == 0)
        {
            yield return new("roles", "Problem.RoleRequired");
        }

        var list = Crews(crews);
        if (list.FirstOrDefault(c => !Identifiers.IsValid(c)) is { } bad)
        {
            yield return new("crews", "Problem.CrewInvalid", bad);
        }
        else if (roles.Contains(Role.Crew) && list.Count == 0)
        {
            yield return new("crews", "Problem.CrewRequired");
        }
    }
}
