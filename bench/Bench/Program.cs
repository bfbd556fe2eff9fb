using System.Globalization;
using Telemetry.Bench;
using Telemetry.Bench.Chaos;

// Benchmarks print each figure next to a limit measured in the same run, and the ratio between them.
var which = args.Length > 0 ? args[0] : "all";
int Arg(int index, int fallback) => args.Length > index ? int.Parse(args[index], CultureInfo.InvariantCulture) : fallback;

// Not part of "all": it runs for ten minutes and more, and tells whether the plant lost or doubled anything, not how fast it is.
if (which is "chaos")
{
    return await ChaosRun.RunAsync(ChaosOptions.Parse(args[1..]));
}

if (which is "all" or "mqtt")
{
    await MqttPublishBenchmark.RunAsync(messages: Arg(1, 100_000), payloadBytes: 512, rounds: 3);
    Console.WriteLine();
}

if (which is "all" or "ingest")
{
    await IngestBenchmark.RunAsync(batches: Arg(1, 20_000), readingsPerBatch: 100);
    Console.WriteLine();
}

if (which is "all" or "influx")
{
    await InfluxWriteBenchmark.RunAsync(points: Arg(1, 200_000), batchPoints: 5_000, rounds: 3);
    Console.WriteLine();
}

if (which is "all" or "modbus")
{
    await RtuPollBenchmark.RunAsync(cycles: Arg(1, 5));
    Console.WriteLine();
}

if (which is "rules-engine")
{
    // The engine alone, for comparing engines quickly (the end-to-end part starts services).
    RulesBenchmark.RunInProcess(devices: Arg(1, 2_000), rounds: 250);
    Console.WriteLine();
}

if (which is "all" or "rules")
{
    await RulesBenchmark.RunAsync(devices: Arg(1, 2_000), rounds: 250, probes: 200);
    Console.WriteLine();
}

if (which is "all" or "gateway")
{
    await GatewayMemoryBenchmark.RunAsync(seconds: Arg(1, 90));
    Console.WriteLine();
}

if (which is "all" or "fuzz")
{
    FuzzBenchmark.Run(inputs: Arg(1, 1_000_000), only: args.Length > 2 ? args[2] : null);
    Console.WriteLine();
}

if (which is "all" or "api")
{
    await ApiBenchmark.RunAsync(tickets: Arg(1, 100_000), rate: 200, seconds: 30);
    Console.WriteLine();
}

if (which is "all" or "forecast")
{
    await ForecastBenchmark.RunAsync(seed: Arg(1, 1));
    Console.WriteLine();
}

if (which is "all" or "web")
{
    await WebBenchmark.RunAsync(devices: Arg(1, 2_000), sessions: 20, loads: 10);
    Console.WriteLine();
}

return 0;
