using System.Security.Cryptography;
using System.Text;

namespace Telemetry.BrokerAccess.Mosquitto;

/// <summary>
/// Mosquitto 2.0's password hash, as <c>mosquitto_passwd</c> writes it: <c>$7$101${salt}${hash}</c>, PBKDF2-HMAC-SHA512
/// with 101 iterations over a 12-byte random salt, both base64. Made here so that setting up the broker needs no
/// external program and no password ever appears on a command line.
/// </summary>
public static class PasswordHash
{
    public const int Iterations = 101;

    public const int SaltBytes = 12;

    private const int HashBytes = 64;

    /// <summary>The hash of <paramref name="password"/> with a fresh random salt.</summary>
    public static string Create(string password) => Create(password, RandomNumberGenerator.GetBytes(SaltBytes));

    /// <summary>The hash of <paramref name="password"/> with the given salt.</summary>
    public static string Create(string password, ReadOnlySpan<byte> salt)
    {
        ArgumentNullException.ThrowIfNull(password);
        var hash = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, Iterations, HashAlgorithmName.SHA512, HashBytes);
        return $"$7${Iterations}${Convert.ToBase64String(salt)}${Convert.ToBase64String(hash)}";
    }

    /// <summary>Whether <paramref name="encoded"/> (a <c>$7$</c> hash) is the hash of <paramref name="password"/>.</summary>
    public static bool Matches(string encoded, string password)
    {
        ArgumentNullException.ThrowIfNull(encoded);
        ArgumentNullException.ThrowIfNull(password);
        var parts = encoded.Split('$');
        if (parts is not ["", "7", var iterations, var salt, var hash] || !int.TryParse(iterations, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var count) || count < 1)
        {
            return false;
        }

        try
        {
            var expected = Convert.FromBase64String(hash);
            var actual = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), Convert.FromBase64String(salt), count, HashAlgorithmName.SHA512, expected.Length);
            return CryptographicOperations.FixedTimeEquals(expected, actual);
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
