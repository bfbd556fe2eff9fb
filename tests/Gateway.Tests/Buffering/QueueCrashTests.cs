using System.Text.RegularExpressions;
using Telemetry.Gateway.Buffering;
using Telemetry.QueueCrashProbe;
using Telemetry.Testing;

namespace Telemetry.Gateway.Tests.Buffering;

/// <summary>
/// A real process appending and acknowledging, killed with SIGKILL at a random moment, several times over the same
/// folder: every append it reported durable must come back unless it started acknowledging it, no completed
/// acknowledgement may come back, and nothing it did not append may appear.
/// </summary>
public sealed partial class QueueCrashTests : IDisposable
{
    private readonly QueueFolder _folder = new();

    private string SequencePath => Path.Combine(_folder.Path, "batch.seq");

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Killed_gateway_loses_no_appended_record_and_repeats_no_sequence_number()
    {
        var random = new Random(2026);
        var everAppended = new Dictionary<long, long>(); // record id -> seq
        var everAcknowledging = new HashSet<long>(); // acknowledgement started: may or may not have happened
        var everAcknowledged = new HashSet<long>();
        for (var round = 0; round < 3; round++)
        {
            await using (var probe = ExternalCommand.Start("dotnet", [ProbeAssembly, _folder.Path, SequencePath]))
            {
                await probe.WaitForOutputAsync(text => AppendedLine().Count(text) >= 150, TimeSpan.FromSeconds(30));
                await Task.Delay(random.Next(0, 150));
                probe.Kill();

                foreach (Match line in AppendedLine().Matches(probe.Output))
                {
                    var seq = long.Parse(line.Groups["seq"].Value, System.Globalization.CultureInfo.InvariantCulture);
                    Assert.True(everAppended.TryAdd(long.Parse(line.Groups["id"].Value, System.Globalization.CultureInfo.InvariantCulture), seq), $"record id reused: {line.Value}");
                }

                foreach (Match line in AcknowledgedLine().Matches(probe.Output))
                {
                    var id = long.Parse(line.Groups["id"].Value, System.Globalization.CultureInfo.InvariantCulture);
                    (line.Groups["done"].Success ? everAcknowledged : everAcknowledging).Add(id);
                }
            }

            using var queue = StoreAndForwardQueue.Open(Probe.Options(_folder.Path), _folder.Logger, TimeProvider.System);
            var recovered = QueueFolder.Drain(queue);

            var recoveredIds = recovered.Select(r => r.Id).ToHashSet();
            var lost = everAppended.Keys.Where(id => !everAcknowledging.Contains(id) && !recoveredIds.Contains(id)).ToList();
            Assert.True(lost.Count == 0, $"appended and never acknowledged, yet lost: {string.Join(", ", lost)}");
            Assert.Empty(recoveredIds.Intersect(everAcknowledged));
            var unreported = recovered.Where(r => !everAppended.ContainsKey(r.Id)).ToList();
            Assert.True(unreported.Count <= round + 1, $"{unreported.Count} records were appended but not reported; only the one in flight at each kill may be");
            Assert.Equal(recovered.Select(r => r.Id).Order(), recovered.Select(r => r.Id));
            Assert.All(recovered, r => Assert.Equal(Probe.Payload(Probe.SeqOf(r.Payload.Span)), r.Payload.ToArray()));
            Assert.All(recovered.Where(r => everAppended.ContainsKey(r.Id)), r => Assert.Equal(everAppended[r.Id], Probe.SeqOf(r.Payload.Span)));
            Assert.Equal(0, queue.Statistics.Corrupt);
        }

        using var sequence = SequenceCounter.Open(SequencePath, _folder.Logger, TimeProvider.System);
        Assert.True(sequence.Next() > everAppended.Values.Max());
        Assert.Equal(everAppended.Count, everAppended.Values.Distinct().Count());
    }

    private static string ProbeAssembly => Path.Combine(AppContext.BaseDirectory, "Telemetry.QueueCrashProbe.dll");

    [GeneratedRegex(@"^appended (?<id>\d+) (?<seq>\d+)\r?$", RegexOptions.Multiline)]
    private static partial Regex AppendedLine();

    [GeneratedRegex(@"^(?:acking|(?<done>acked)) (?<id>\d+)\r?$", RegexOptions.Multiline)]
    private static partial Regex AcknowledgedLine();
}
