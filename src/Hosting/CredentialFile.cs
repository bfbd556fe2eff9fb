namespace Telemetry.Hosting;

/// <summary>Files that hold a credential (a password, a private key) or a certificate, named in configuration.</summary>
public static class CredentialFile
{
    /// <summary>Why <paramref name="path"/> cannot serve as <paramref name="setting"/>; null when it can.</summary>
    /// <param name="path">The file.</param>
    /// <param name="setting">The configuration key that names it, for the message.</param>
    /// <param name="secret">A secret must not be readable by other users of the machine.</param>
    public static string? Problem(string path, string setting, bool secret = true)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            return $"{setting} is empty";
        }

        if (!File.Exists(path))
        {
            return $"{setting} '{path}' does not exist";
        }

        try
        {
            using var stream = File.OpenRead(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return $"{setting} '{path}' cannot be read: {ex.Message}";
        }

        if (secret && !OperatingSystem.IsWindows() && (File.GetUnixFileMode(path) & (UnixFileMode.OtherRead | UnixFileMode.OtherWrite)) != 0)
        {
            return $"{setting} '{path}' is readable by every user of the machine: make it private (chmod 600)";
        }

        return null;
    }

    /// <summary>Why <paramref name="path"/> cannot serve as the password file <paramref name="setting"/>; null when it can.</summary>
    public static string? PasswordProblem(string path, string setting) =>
        Problem(path, setting) ?? (Read(path).Length == 0 ? $"{setting} '{path}' holds no password on its first line" : null);

    /// <summary>The first line of the file, without its line end.</summary>
    public static string Read(string path)
    {
        using var reader = new StreamReader(path);
        return reader.ReadLine() ?? "";
    }
}
