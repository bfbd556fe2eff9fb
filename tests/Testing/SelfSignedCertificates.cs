namespace Telemetry.Testing;

/// <summary>A throwaway CA and a server certificate for 127.0.0.1/localhost it signed, made with openssl.</summary>
public sealed record SelfSignedCertificates(string CaCertificatePath, string ServerCertificatePath, string ServerKeyPath)
{
    public static async Task<SelfSignedCertificates> CreateAsync(string directory)
    {
        string P(string name) => Path.Combine(directory, name);
        async Task Openssl(params string[] args) => (await ExternalCommand.RunAsync("openssl", args)).EnsureSuccess("openssl " + args[0]);

        await File.WriteAllTextAsync(P("server.ext"), "subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n");
        await Openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=Telemetry Test CA", "-keyout", P("ca.key"), "-out", P("ca.crt"));
        await Openssl("req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=localhost", "-keyout", P("server.key"), "-out", P("server.csr"));
        await Openssl("x509", "-req", "-in", P("server.csr"), "-CA", P("ca.crt"), "-CAkey", P("ca.key"), "-CAcreateserial", "-days", "2", "-extfile", P("server.ext"), "-out", P("server.crt"));
        return new SelfSignedCertificates(P("ca.crt"), P("server.crt"), P("server.key"));
    }
}
