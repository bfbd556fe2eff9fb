using System.Diagnostics;
using System.Globalization;
using System.Text;
using Telemetry.Mqtt;
using Telemetry.Testing;

namespace Telemetry.Bench;

/// <summary>
/// QoS 1 publishing against one Mosquitto: the broker's own client (mosquitto_pub reading lines) against
/// our client, same messages, same broker, same run. A publish counts when its PUBACK has arrived. Then the same
/// over the broker's TLS listener, each client with its password and a client certificate as the stack gives them,
/// against the plain loopback figures of the same run.
/// </summary>
internal static class MqttPublishBenchmark
{
    public static async Task RunAsync(int messages, int payloadBytes, int rounds)
    {
        Console.WriteLine($"MQTT QoS 1 publish: {messages:N0} messages of {payloadBytes} bytes, median of {rounds} rounds");
        await using var broker = await MosquittoServer.StartAsync(new MosquittoOptions { Tls = true, RequireCertificate = true });
        var payload = Payload(payloadBytes);
        var plain = broker.ClientOptions(MosquittoServer.Harness);
        var tls = await broker.TlsClientOptionsAsync(MosquittoServer.Harness);
        var plainArguments = broker.CommandLineArguments(MosquittoServer.Harness);
        string[] tlsArguments =
        [
            "-h", "localhost", "-p", tls.Port.ToString(CultureInfo.InvariantCulture), "-u", tls.Username!, "-P", tls.Password!,
            "--cafile", tls.Tls!.CaCertificatePath!, "--cert", tls.Tls.ClientCertificatePath!, "--key", tls.Tls.ClientKeyPath!,
        ];

        var raw = new List<double>();
        var ours = new List<double>();
        var rawTls = new List<double>();
        var oursTls = new List<double>();
        for (var round = 0; round < rounds; round++)
        {
            raw.Add(await MosquittoPubAsync(plainArguments, payload, messages));
            ours.Add(await OurClientAsync(plain, Encoding.UTF8.GetBytes(payload), messages, round));
            rawTls.Add(await MosquittoPubAsync(tlsArguments, payload, messages));
            oursTls.Add(await OurClientAsync(tls, Encoding.UTF8.GetBytes(payload), messages, round));
        }

        var rawRate = Figures.Median(raw);
        var ourRate = Figures.Median(ours);
        var rawTlsRate = Figures.Median(rawTls);
        var ourTlsRate = Figures.Median(oursTls);
        Figures.Rate("mosquitto_pub -q 1 --repeat (broker's own client)", rawRate, "msg");
        Figures.Rate("our client, PublishAsync QoS 1", ourRate, "msg");
        Figures.Ratio("ours / mosquitto_pub", ourRate / rawRate, 0.8);
        Figures.Rate("TLS + credentials: mosquitto_pub", rawTlsRate, "msg");
        Figures.Rate("TLS + credentials: our client", ourTlsRate, "msg");
        Figures.Ratio("TLS: ours / mosquitto_pub over TLS", ourTlsRate / rawTlsRate, 0.8);
        Figures.Ratio("our client: TLS / plain loopback", ourTlsRate / ourRate, 0.5);
    }

    private static string Payload(int bytes)
    {
        var text = new StringBuilder("{\"v\":1,\"gateway\":\"gw-bench\",\"readings\":[");
        while (text.Length < bytes - 2)
        {
            text.Append('x');
        }

        return text.Append("]}").ToString();
    }

    // mosquitto_pub reading lines (-l) stalls or drops lines beyond its in-flight window; --repeat is its own fast path.
    private static async Task<double> MosquittoPubAsync(string[] connection, string payload, int messages)
    {
        var started = Stopwatch.GetTimestamp();
        (await ExternalCommand.RunAsync(
            "mosquitto_pub",
            [.. connection, "-V", "5", "-q", "1", "-t", "bench/raw", "--repeat", messages.ToString(CultureInfo.InvariantCulture), "-m", payload],
            TimeSpan.FromMinutes(5))).EnsureSuccess("mosquitto_pub");
        return messages / Stopwatch.GetElapsedTime(started).TotalSeconds;
    }

    private static async Task<double> OurClientAsync(MqttClientOptions options, byte[] payload, int messages, int round)
    {
        await using var client = new MqttClient(options with { ClientId = $"bench-{round}" });
        await client.ConnectAsync(CancellationToken.None);
        var message = new MqttApplicationMessage { Topic = "bench/ours", Payload = payload, QualityOfService = MqttQualityOfService.AtLeastOnce };
        var started = Stopwatch.GetTimestamp();
        var pending = new Task<MqttPublishResult>[messages];
        for (var i = 0; i < messages; i++)
        {
            pending[i] = client.PublishAsync(message, CancellationToken.None);
        }

        var results = await Task.WhenAll(pending);
        var rate = messages / Stopwatch.GetElapsedTime(started).TotalSeconds;
        if (results.Any(r => !r.IsSuccess))
        {
            throw new InvalidOperationException("a publish was refused by the broker");
        }

        await client.DisconnectAsync(CancellationToken.None);
        return rate;
    }
}
