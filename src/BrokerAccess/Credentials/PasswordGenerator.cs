using System.Security.Cryptography;

namespace Telemetry.BrokerAccess.Credentials;

/// <summary>Random passwords from the operating system's CSPRNG.</summary>
public static class PasswordGenerator
{
    /// <summary>32 characters of 62 possible: about 190 bits, and nothing a shell or a configuration file needs quoted.</summary>
    public const int Length = 32;

    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    public static string Next() => RandomNumberGenerator.GetString(Alphabet, Length);
}
