namespace Telemetry.Testing;

/// <summary>A throwaway CA and a server certificate for 127.0.0.1/localhost it signed, made with openssl.</summary>
public sealed record SelfSignedCertificates(string CaCertificatePath, string ServerCertificatePath, string ServerKeyPath)
{
    private string Directory => Path.GetDirectoryName(CaCertificatePath)!;

    public static async Task<SelfSignedCertificates> CreateAsync(string directory)
    {
        string P(string name) => Path.Combine(directory, name);

        await File.WriteAllTextAsync(P("server.ext"), "subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n");
        await OpensslAsync("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=Telemetry Test CA", "-keyout", P("ca.key"), "-out", P("ca.crt"));
        await OpensslAsync("req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=localhost", "-keyout", P("server.key"), "-out", P("server.csr"));
        await OpensslAsync("x509", "-req", "-in", P("server.csr"), "-CA", P("ca.crt"), "-CAkey", P("ca.key"), "-CAcreateserial", "-days", "2", "-extfile", P("server.ext"), "-out", P("server.crt"));
        return new SelfSignedCertificates(P("ca.crt"), P("server.crt"), P("server.key"));
    }

    /// <summary>A client certificate (CN = <paramref name="name"/>) and its key, signed by this CA; made once per name.</summary>
    public async Task<(string CertificatePath, string KeyPath)> ClientCertificateAsync(string name)
    {
        string P(string file) => Path.Combine(Directory, file);
        var (certificate, key) = (P($"client-{name}.crt"), P($"client-{name}.key"));
        if (File.Exists(certificate))
        {
            return (certificate, key);
        }

        var extensions = P($"client-{name}.ext");
        await File.WriteAllTextAsync(extensions, "basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=clientAuth\n");
        await OpensslAsync("req", "-newkey", "rsa:2048", "-nodes", "-subj", $"/CN={name}", "-keyout", key, "-out", P($"client-{name}.csr"));
        await OpensslAsync("x509", "-req", "-in", P($"client-{name}.csr"), "-CA", CaCertificatePath, "-CAkey", P("ca.key"), "-CAcreateserial", "-days", "2", "-extfile", extensions, "-out", certificate);

        // The services refuse a private key that other users of the machine can read, as they would in the field.
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(key, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        return (certificate, key);
    }

    private static async Task OpensslAsync(params string[] args) => (await ExternalCommand.RunAsync("openssl", args)).EnsureSuccess("openssl " + args[0]);
}
