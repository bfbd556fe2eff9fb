using Telemetry.Contracts;
using Telemetry.Gateway.Buffering;
using Telemetry.Hosting;

namespace Telemetry.Gateway.Configuration;

/// <summary>The <c>Gateway</c> section: which site file and gateway this process plays, and where it keeps its state.</summary>
public sealed class GatewaySettings
{
    public const string SectionName = "Gateway";

    /// <summary>The site file (<c>hardware/sites/*.json</c>); reloaded when it changes.</summary>
    public string SiteFile { get; set; } = "";

    /// <summary>The gateway of the site file this process is; may be left empty when the site has one gateway.</summary>
    public string? Id { get; set; }

    /// <summary>The folder of the profiles; by default <c>../profiles</c> beside the site file's folder.</summary>
    public string? ProfilesDirectory { get; set; }

    /// <summary>Where the store-and-forward queue and the seq counter live; survives restarts.</summary>
    public string StateDirectory { get; set; } = "";

    /// <summary>MQTT topic root.</summary>
    public string Root { get; set; } = Topics.DefaultRoot;

    /// <summary>How often readings collected since the last batch are published as one batch.</summary>
    public TimeSpan BatchInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Devices on Modbus TCP polled at the same time, across all TCP links.</summary>
    public int TcpConcurrency { get; set; } = 16;

    /// <summary>Consecutive failures after which a device is backed off.</summary>
    public int FailuresBeforeBackoff { get; set; } = 3;

    /// <summary>The longest a backed-off device waits between tries.</summary>
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How often the site file is checked for changes (besides file system notifications).</summary>
    public TimeSpan SiteCheckInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How often statistics are logged.</summary>
    public TimeSpan StatisticsInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Broker settings that override the site file's (tests, or a broker moved without editing the site).</summary>
    public MqttOverrides Mqtt { get; set; } = new();

    /// <summary>Replay and in-flight limits of the publisher.</summary>
    public PublishingSettings Publishing { get; set; } = new();

    /// <summary>How emergency battery tests are watched.</summary>
    public BatteryTestSettings BatteryTests { get; set; } = new();

    /// <summary>How commands are taken in and which are refused.</summary>
    public CommandSettings Commands { get; set; } = new();

    /// <summary>The store-and-forward queue; its folder defaults to <c>{StateDirectory}/queue</c>.</summary>
    public QueueOptions Buffering { get; set; } = new();

    /// <summary>The sent batches kept for consumer groups that ask for them again; its folder defaults to <c>{StateDirectory}/archive</c>.</summary>
    public Replay.ReplaySettings Replay { get; set; } = new();

    public string ArchiveDirectory => string.IsNullOrWhiteSpace(Replay.Directory) ? Path.Combine(Path.GetFullPath(StateDirectory), "archive") : Replay.Directory;

    public string SequencePath => Path.Combine(Path.GetFullPath(StateDirectory), "seq");

    /// <summary>The ids of the commands taken, kept until they expire so that a replay is refused after a restart too.</summary>
    public string SeenCommandsPath => Path.Combine(Path.GetFullPath(StateDirectory), "commands-seen");

    /// <summary>The record of emergency tests and postponements the automatic tests plan from.</summary>
    public string BatteryTestLedgerPath => Path.Combine(Path.GetFullPath(StateDirectory), "battery-tests.jsonl");

    public QueueOptions QueueOptions => new()
    {
        Directory = string.IsNullOrWhiteSpace(Buffering.Directory) ? Path.Combine(Path.GetFullPath(StateDirectory), "queue") : Buffering.Directory,
        SegmentBytes = Buffering.SegmentBytes,
        MaxBytes = Buffering.MaxBytes,
        MaxRecordBytes = Buffering.MaxRecordBytes,
    };

    public string ResolvedProfilesDirectory => Path.GetFullPath(
        ProfilesDirectory ?? Path.Combine(Path.GetDirectoryName(Path.GetFullPath(SiteFile))!, "..", "profiles"));

    /// <summary>One message per invalid value, naming the key and its rule.</summary>
    public IEnumerable<string> Validate()
    {
        if (string.IsNullOrWhiteSpace(SiteFile))
        {
            yield return "Gateway:SiteFile must name a site file (e.g. hardware/sites/demo.json)";
        }
        else if (!File.Exists(SiteFile))
        {
            yield return $"Gateway:SiteFile '{Path.GetFullPath(SiteFile)}' does not exist";
        }
        else if (!Directory.Exists(ResolvedProfilesDirectory))
        {
            yield return $"Gateway:ProfilesDirectory '{ResolvedProfilesDirectory}' is not a folder";
        }

        if (!string.IsNullOrEmpty(Id) && !Identifiers.IsValid(Id))
        {
            yield return $"Gateway:Id '{Id}' is invalid: {Identifiers.Rule}";
        }

        if (string.IsNullOrWhiteSpace(StateDirectory))
        {
            yield return "Gateway:StateDirectory must name a folder for the queue and the seq counter";
        }
        else
        {
            foreach (var problem in QueueOptions.Validate())
            {
                yield return problem;
            }
        }

        if (!Identifiers.IsValid(Root))
        {
            yield return $"Gateway:Root '{Root}' is invalid: {Identifiers.Rule}";
        }

        if (BatchInterval < TimeSpan.FromMilliseconds(50) || BatchInterval > TimeSpan.FromMinutes(10))
        {
            yield return $"Gateway:BatchInterval {BatchInterval} must be 50 ms to 10 min";
        }

        if (TcpConcurrency is < 1 or > 1024)
        {
            yield return $"Gateway:TcpConcurrency {TcpConcurrency} must be 1-1024";
        }

        if (FailuresBeforeBackoff is < 1 or > 1000)
        {
            yield return $"Gateway:FailuresBeforeBackoff {FailuresBeforeBackoff} must be 1-1000";
        }

        if (MaxBackoff < TimeSpan.FromSeconds(1) || MaxBackoff > TimeSpan.FromHours(1))
        {
            yield return $"Gateway:MaxBackoff {MaxBackoff} must be 1 s to 1 h";
        }

        if (SiteCheckInterval < TimeSpan.FromMilliseconds(100) || SiteCheckInterval > TimeSpan.FromMinutes(10))
        {
            yield return $"Gateway:SiteCheckInterval {SiteCheckInterval} must be 100 ms to 10 min";
        }

        if (StatisticsInterval < TimeSpan.FromSeconds(1))
        {
            yield return $"Gateway:StatisticsInterval {StatisticsInterval} must be at least 1 s";
        }

        if (Publishing.MaxBatchBytes >= Buffering.MaxRecordBytes)
        {
            yield return $"Gateway:Publishing:MaxBatchBytes {Publishing.MaxBatchBytes} must be below Gateway:Buffering:MaxRecordBytes {Buffering.MaxRecordBytes}: a batch is one queue record";
        }

        foreach (var problem in Mqtt.Validate().Concat(Publishing.Validate()).Concat(BatteryTests.Validate()).Concat(Commands.Validate()).Concat(Replay.Validate()))
        {
            yield return problem;
        }
    }
}

/// <summary>The <c>Gateway:Mqtt</c> section: each value set here replaces the site file's.</summary>
public sealed class MqttOverrides
{
    public string? Host { get; set; }

    public int? Port { get; set; }

    public string? Username { get; set; }

    public string? Password { get; set; }

    /// <summary>The client id; <c>gateway-{site}-{gateway}</c> by default, so the broker session survives restarts.</summary>
    public string? ClientId { get; set; }

    /// <summary>A file whose first line is the password (the credentials made at install); not with <see cref="Password"/>.</summary>
    public string? PasswordFile { get; set; }

    /// <summary>The CA certificate (PEM) that signs the broker's certificate; turns TLS on.</summary>
    public string? CaFile { get; set; }

    /// <summary>The gateway's client certificate (PEM), for a broker that requires one.</summary>
    public string? CertFile { get; set; }

    /// <summary>The private key (PEM) of <see cref="CertFile"/>.</summary>
    public string? KeyFile { get; set; }

    /// <summary>The name the broker's certificate must carry, when it differs from the host connected to.</summary>
    public string? ServerName { get; set; }

    public TimeSpan KeepAlive { get; set; } = TimeSpan.FromSeconds(15);

    public IEnumerable<string> Validate()
    {
        if (Port is < 1 or > 65535)
        {
            yield return $"Gateway:Mqtt:Port {Port} is not a TCP port (1-65535)";
        }

        if (ClientId is { } id && (id.Length is 0 or > 128))
        {
            yield return "Gateway:Mqtt:ClientId must be 1 to 128 characters";
        }

        if (Password is not null && PasswordFile is not null)
        {
            yield return "Gateway:Mqtt:Password and Gateway:Mqtt:PasswordFile are both set: give the password one way";
        }

        if (PasswordFile is { } passwordFile && CredentialFile.PasswordProblem(passwordFile, "Gateway:Mqtt:PasswordFile") is { } passwordProblem)
        {
            yield return passwordProblem;
        }

        if (CaFile is { } ca && CredentialFile.Problem(ca, "Gateway:Mqtt:CaFile", secret: false) is { } caProblem)
        {
            yield return caProblem;
        }

        if (CertFile is { } cert && CredentialFile.Problem(cert, "Gateway:Mqtt:CertFile", secret: false) is { } certProblem)
        {
            yield return certProblem;
        }

        if (KeyFile is { } key && CredentialFile.Problem(key, "Gateway:Mqtt:KeyFile") is { } keyProblem)
        {
            yield return keyProblem;
        }

        if (KeyFile is not null && CertFile is null)
        {
            yield return "Gateway:Mqtt:KeyFile needs Gateway:Mqtt:CertFile";
        }

        if (KeepAlive < TimeSpan.FromSeconds(1) || KeepAlive > TimeSpan.FromHours(1) || KeepAlive.Ticks % TimeSpan.TicksPerSecond != 0)
        {
            yield return $"Gateway:Mqtt:KeepAlive {KeepAlive} must be whole seconds, 1 s to 1 h";
        }
    }
}

/// <summary>The <c>Gateway:Publishing</c> section.</summary>
public sealed class PublishingSettings
{
    /// <summary>Publishes awaiting their PUBACK at once.</summary>
    public int MaxInFlight { get; set; } = 32;

    /// <summary>
    /// Batches per second published from the queue. Live data needs one per batch interval, so a backlog drains at
    /// this rate less the live rate, without starving the broker or the link of room for live data.
    /// </summary>
    public double MaxBatchesPerSecond { get; set; } = 50;

    /// <summary>
    /// The largest batch JSON; a cycle's readings beyond it go in several batches. Below Ingest's payload limit
    /// (256 KiB by default), which refuses a larger batch whole.
    /// </summary>
    public int MaxBatchBytes { get; set; } = 192 * 1024;

    public IEnumerable<string> Validate()
    {
        if (MaxInFlight is < 1 or > 1000)
        {
            yield return $"Gateway:Publishing:MaxInFlight {MaxInFlight} must be 1-1000";
        }

        if (!(MaxBatchesPerSecond >= 1) || MaxBatchesPerSecond > 100_000)
        {
            yield return $"Gateway:Publishing:MaxBatchesPerSecond {MaxBatchesPerSecond} must be 1-100000";
        }

        if (MaxBatchBytes is < 4096 or > 16 << 20)
        {
            yield return $"Gateway:Publishing:MaxBatchBytes {MaxBatchBytes} must be 4 KiB to 16 MiB";
        }
    }
}

/// <summary>The <c>Gateway:BatteryTests</c> section.</summary>
public sealed class BatteryTestSettings
{
    /// <summary>How often a unit under test is read (its discharge curve has one sample per read).</summary>
    public TimeSpan SampleInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest a test is watched before the gateway aborts it (a unit that never reports the end).</summary>
    public TimeSpan MaxWatch { get; set; } = TimeSpan.FromHours(4);

    /// <summary>Most samples kept in the finished event; longer curves are thinned evenly.</summary>
    public int MaxSamples { get; set; } = 48;

    /// <summary>How often the automatic emergency tests (the site's <c>emergency_tests</c>) are planned.</summary>
    public TimeSpan PlanInterval { get; set; } = TimeSpan.FromMinutes(1);

    public IEnumerable<string> Validate()
    {
        if (SampleInterval < TimeSpan.FromMilliseconds(100) || SampleInterval > TimeSpan.FromMinutes(10))
        {
            yield return $"Gateway:BatteryTests:SampleInterval {SampleInterval} must be 100 ms to 10 min";
        }

        if (MaxWatch < TimeSpan.FromSeconds(1))
        {
            yield return $"Gateway:BatteryTests:MaxWatch {MaxWatch} must be at least 1 s";
        }

        if (MaxSamples is < 2 or > 90)
        {
            yield return $"Gateway:BatteryTests:MaxSamples {MaxSamples} must be 2-90 (two event values each; consumers take at most 200 values per event)";
        }

        if (PlanInterval < TimeSpan.FromSeconds(1) || PlanInterval > TimeSpan.FromHours(1))
        {
            yield return $"Gateway:BatteryTests:PlanInterval {PlanInterval} must be 1 s to 1 h";
        }
    }
}

/// <summary>The <c>Gateway:Commands</c> section.</summary>
public sealed class CommandSettings
{
    /// <summary>Commands waiting to be carried out; one more is refused as busy.</summary>
    public int MaxQueued { get; set; } = 256;

    /// <summary>Payload bytes of the commands waiting; one that would pass it is refused as busy.</summary>
    public int MaxQueuedBytes { get; set; } = 1024 * 1024;

    /// <summary>The largest command payload; a command is a handful of fields.</summary>
    public int MaxPayloadBytes { get; set; } = 16 * 1024;

    /// <summary>How far in this gateway's future a command may be issued (the requester's clock runs ahead).</summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The longest a command may live (<c>expires</c> − <c>issued</c>): its id is remembered that long.</summary>
    public TimeSpan MaxLifetime { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Ids remembered at once; while that many unexpired ones are held, a new command is refused as busy.</summary>
    public int MaxRememberedIds { get; set; } = 20_000;

    /// <summary>Busy refusals being answered at once; beyond it a busy refusal is counted but not answered.</summary>
    public int MaxPendingBusyAnswers { get; set; } = 64;

    public IEnumerable<string> Validate()
    {
        if (MaxQueued is < 1 or > 100_000)
        {
            yield return $"Gateway:Commands:MaxQueued {MaxQueued} must be 1-100000";
        }

        if (MaxPayloadBytes is < 256 or > 1024 * 1024)
        {
            yield return $"Gateway:Commands:MaxPayloadBytes {MaxPayloadBytes} must be 256 bytes to 1 MiB";
        }

        if (MaxQueuedBytes < MaxPayloadBytes || MaxQueuedBytes > 256 * 1024 * 1024)
        {
            yield return $"Gateway:Commands:MaxQueuedBytes {MaxQueuedBytes} must be at least Gateway:Commands:MaxPayloadBytes ({MaxPayloadBytes}) and at most 256 MiB";
        }

        if (ClockSkew < TimeSpan.Zero || ClockSkew > TimeSpan.FromMinutes(10))
        {
            yield return $"Gateway:Commands:ClockSkew {ClockSkew} must be 0 to 10 min";
        }

        if (MaxLifetime < TimeSpan.FromSeconds(1) || MaxLifetime > TimeSpan.FromDays(1))
        {
            yield return $"Gateway:Commands:MaxLifetime {MaxLifetime} must be 1 s to 1 day";
        }

        if (MaxRememberedIds is < 100 or > 1_000_000)
        {
            yield return $"Gateway:Commands:MaxRememberedIds {MaxRememberedIds} must be 100-1000000";
        }

        if (MaxPendingBusyAnswers is < 0 or > 10_000)
        {
            yield return $"Gateway:Commands:MaxPendingBusyAnswers {MaxPendingBusyAnswers} must be 0-10000";
        }
    }
}
