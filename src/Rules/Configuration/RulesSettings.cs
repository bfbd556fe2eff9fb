using Telemetry.Contracts;
using Telemetry.Rules.Evaluation;

namespace Telemetry.Rules.Configuration;

/// <summary>The <c>Rules</c> section: the plant to judge, where tickets live, and how often time-driven checks run.</summary>
public sealed class RulesSettings
{
    private const int MaxUnknownLimit = 10_000;

    /// <summary>Site files (hardware/sites/*.json) of the plant; readings from devices none of them lists are operator-side faults.</summary>
    public List<string> SiteFiles { get; set; } = [];

    /// <summary>Device profiles; defaults to <c>../profiles</c> beside the first site file.</summary>
    public string? ProfilesDirectory { get; set; }

    /// <summary>The SQLite file of tickets, thresholds and notifications, shared with Api.</summary>
    public string Database { get; set; } = "";

    /// <summary>The service unit's code, first part of every ticket number (<c>YW</c> in <c>YW2611-0007</c>).</summary>
    public string ServiceUnit { get; set; } = "YW";

    /// <summary>The service unit's time zone: ticket numbers restart each month of this zone.</summary>
    public string TimeZone { get; set; } = "UTC";

    /// <summary>How close to a ticket's beginning a related lighting fault must come to join it as the same event (<c>OneEvent</c>).</summary>
    public TimeSpan SameEventWindow { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How often conditions that depend on time alone (silence, door open, gateway offline) are judged.</summary>
    public TimeSpan TickInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How often the escalation job looks for breached deadlines.</summary>
    public TimeSpan EscalationInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often the work order job schedules planned maintenance through the horizon ahead.</summary>
    public TimeSpan WorkOrderInterval { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How far ahead planned maintenance work orders are made (domain section 5), so crews see the coming days.</summary>
    public TimeSpan WorkOrderHorizon { get; set; } = TimeSpan.FromDays(14);

    /// <summary>How often the plant is forecast and predictive work orders opened (domain section 7); needs <c>Influx:Url</c>.</summary>
    public TimeSpan ForecastInterval { get; set; } = TimeSpan.FromDays(1);

    /// <summary>How far back the plant history is read for forecasts.</summary>
    public TimeSpan ForecastHistory { get; set; } = TimeSpan.FromDays(6 * 365);

    /// <summary>How close a forecast date must come, per kind, to open a predictive work order.</summary>
    public ForecastLeadTimeSettings ForecastLeadTime { get; set; } = new();

    /// <summary>How often learned state (current baselines) is saved, besides at shutdown.</summary>
    public TimeSpan StateSaveInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How often the threshold and service-level stores are asked for their version, so that an engineer's or admin's
    /// change made through the Api applies within this time (and the next reading that it concerns).
    /// </summary>
    public TimeSpan SettingsPollInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>How often site files are checked for changes.</summary>
    public TimeSpan SiteCheckInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Largest message accepted from the broker.</summary>
    public int MaxPayloadBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>
    /// A reading older than the last judged one of its device (or circuit) by more than this is refused as too old;
    /// within it, it is a redelivery or a gateway's replay and is skipped.
    /// </summary>
    public TimeSpan ReplayWindow { get; set; } = RuleEngineLimits.Default.ReplayWindow;

    /// <summary>A reading or event stamped more than this ahead of the service's clock is refused.</summary>
    public TimeSpan MaxFuture { get; set; } = RuleEngineLimits.Default.MaxFuture;

    /// <summary>Gateways no site file lists that are tracked (one unknown-device ticket each); readings from further ones are refused.</summary>
    public int MaxUnknownGateways { get; set; } = RuleEngineLimits.Default.MaxUnknownGateways;

    /// <summary>Devices no site file lists that are tracked per known gateway (a ticket each); further ones are refused.</summary>
    public int MaxUnknownDevicesPerGateway { get; set; } = RuleEngineLimits.Default.MaxUnknownDevicesPerGateway;

    public string ResolvedProfilesDirectory => Path.GetFullPath(
        ProfilesDirectory ?? Path.Combine(Path.GetDirectoryName(Path.GetFullPath(SiteFiles.FirstOrDefault() ?? "."))!, "..", "profiles"));

    public TimeZoneInfo ResolvedTimeZone => TimeZoneInfo.FindSystemTimeZoneById(TimeZone);

    /// <summary>One message per invalid value, naming the key and its rule.</summary>
    public IEnumerable<string> Validate()
    {
        if (SiteFiles.Count == 0)
        {
            yield return "Rules:SiteFiles must list at least one site file";
        }

        foreach (var file in SiteFiles.Where(f => !File.Exists(f)))
        {
            yield return $"Rules:SiteFiles '{Path.GetFullPath(file)}' does not exist";
        }

        if (SiteFiles.Count > 0 && !Directory.Exists(ResolvedProfilesDirectory))
        {
            yield return $"Rules:ProfilesDirectory '{ResolvedProfilesDirectory}' is not a folder";
        }

        if (string.IsNullOrWhiteSpace(Database))
        {
            yield return "Rules:Database must name the SQLite file of tickets";
        }

        if (ServiceUnit.Length is < 1 or > 8 || !ServiceUnit.All(c => c is (>= 'A' and <= 'Z') or (>= '0' and <= '9')))
        {
            yield return $"Rules:ServiceUnit '{ServiceUnit}' must be 1-8 upper-case letters or digits";
        }

        if (!TimeZoneInfo.TryFindSystemTimeZoneById(TimeZone, out _))
        {
            yield return $"Rules:TimeZone '{TimeZone}' is not a known time zone";
        }

        foreach (var (name, value, least) in new[]
        {
            ("TickInterval", TickInterval, TimeSpan.FromMilliseconds(50)),
            ("EscalationInterval", EscalationInterval, TimeSpan.FromSeconds(1)),
            ("WorkOrderInterval", WorkOrderInterval, TimeSpan.FromSeconds(1)),
            ("StateSaveInterval", StateSaveInterval, TimeSpan.FromSeconds(1)),
            ("SiteCheckInterval", SiteCheckInterval, TimeSpan.FromMilliseconds(100)),
            ("SettingsPollInterval", SettingsPollInterval, TimeSpan.FromMilliseconds(50)),
        })
        {
            if (value < least || value > TimeSpan.FromHours(1))
            {
                yield return $"Rules:{name} {value} must be between {least} and 01:00:00";
            }
        }

        if (WorkOrderHorizon < TimeSpan.FromDays(1) || WorkOrderHorizon > TimeSpan.FromDays(366))
        {
            yield return $"Rules:WorkOrderHorizon {WorkOrderHorizon} must be between 1.00:00:00 and 366.00:00:00";
        }

        if (ForecastInterval < TimeSpan.FromMinutes(1) || ForecastInterval > TimeSpan.FromDays(7))
        {
            yield return $"Rules:ForecastInterval {ForecastInterval} must be between 00:01:00 and 7.00:00:00";
        }

        if (ForecastHistory < TimeSpan.FromDays(60) || ForecastHistory > TimeSpan.FromDays(20 * 365))
        {
            yield return $"Rules:ForecastHistory {ForecastHistory} must be between 60.00:00:00 and 7300.00:00:00";
        }

        foreach (var (name, value) in new[] { ("BatteryEndOfLife", ForecastLeadTime.BatteryEndOfLife), ("InsulationTimeToLimit", ForecastLeadTime.InsulationTimeToLimit) })
        {
            if (value < TimeSpan.FromDays(1) || value > TimeSpan.FromDays(730))
            {
                yield return $"Rules:ForecastLeadTime:{name} {value} must be between 1.00:00:00 and 730.00:00:00";
            }
        }

        if (MaxPayloadBytes is < 1024 or > 64 * 1024 * 1024)
        {
            yield return $"Rules:MaxPayloadBytes {MaxPayloadBytes} must be 1 KiB to 64 MiB";
        }

        if (ReplayWindow < TimeSpan.FromMinutes(1) || ReplayWindow > TimeSpan.FromDays(30))
        {
            yield return $"Rules:ReplayWindow {ReplayWindow} must be between 00:01:00 and 30.00:00:00";
        }

        if (MaxFuture < TimeSpan.Zero || MaxFuture > TimeSpan.FromDays(1))
        {
            yield return $"Rules:MaxFuture {MaxFuture} must be between 00:00:00 and 1.00:00:00";
        }

        // At least one of each, so that a site file missing a gateway or device is always reported.
        if (MaxUnknownGateways is < 1 or > MaxUnknownLimit)
        {
            yield return $"Rules:MaxUnknownGateways {MaxUnknownGateways} must be 1 to {MaxUnknownLimit}";
        }

        if (MaxUnknownDevicesPerGateway is < 1 or > MaxUnknownLimit)
        {
            yield return $"Rules:MaxUnknownDevicesPerGateway {MaxUnknownDevicesPerGateway} must be 1 to {MaxUnknownLimit}";
        }
    }

    /// <summary>The bounds the rule engine holds untrusted input to, from these settings.</summary>
    public RuleEngineLimits EngineLimits() => new()
    {
        ReplayWindow = ReplayWindow,
        MaxFuture = MaxFuture,
        MaxUnknownGateways = MaxUnknownGateways,
        MaxUnknownDevicesPerGateway = MaxUnknownDevicesPerGateway,
    };
}

/// <summary>The <c>Rules:ForecastLeadTime</c> section: how close a forecast date must come to open a predictive work order.</summary>
public sealed class ForecastLeadTimeSettings
{
    public TimeSpan BatteryEndOfLife { get; set; } = TimeSpan.FromDays(90);

    public TimeSpan InsulationTimeToLimit { get; set; } = TimeSpan.FromDays(90);

    public Telemetry.Maintenance.WorkOrders.PredictiveLeadTimes ToLeadTimes() => new()
    {
        BatteryEndOfLife = BatteryEndOfLife,
        InsulationTimeToLimit = InsulationTimeToLimit,
    };
}

/// <summary>One HTTP endpoint that receives crew notifications as JSON posts.</summary>
public sealed class WebhookSettings
{
    /// <summary>Names the destination in the delivery records; an identifier.</summary>
    public string Name { get; set; } = "";

    public Uri? Url { get; set; }

    /// <summary>Sent as a bearer token when set.</summary>
    public string? Token { get; set; }

    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);
}

/// <summary>The <c>Alerts</c> section: where crew notifications go and how failed deliveries are retried.</summary>
public sealed class AlertSettings
{
    /// <summary>The channel escalations go to, besides the ticket's crew (<c>lighting/alerts/{channel}</c>).</summary>
    public string SupervisorChannel { get; set; } = "supervisor";

    public List<WebhookSettings> Webhooks { get; set; } = [];

    /// <summary>How often due notifications are looked for, besides right after a ticket changes.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>First retry delay of a failed delivery; doubles on each failure up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(5);

    public IEnumerable<string> Validate()
    {
        if (!Identifiers.IsValid(SupervisorChannel))
        {
            yield return $"Alerts:SupervisorChannel '{SupervisorChannel}' is invalid: {Identifiers.Rule}";
        }

        foreach (var (hook, index) in Webhooks.Select((h, i) => (h, i)))
        {
            if (!Identifiers.IsValid(hook.Name) || hook.Name is AlertDestinations.Mqtt or AlertDestinations.Influx)
            {
                yield return $"Alerts:Webhooks:{index}:Name '{hook.Name}' is invalid: {Identifiers.Rule}, and not '{AlertDestinations.Mqtt}' or '{AlertDestinations.Influx}'";
            }

            if (hook.Url is not { IsAbsoluteUri: true } url || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
            {
                yield return $"Alerts:Webhooks:{index}:Url '{hook.Url}' must be an absolute http or https address";
            }

            if (hook.Timeout <= TimeSpan.Zero || hook.Timeout > TimeSpan.FromMinutes(5))
            {
                yield return $"Alerts:Webhooks:{index}:Timeout {hook.Timeout} must be between 0 and 00:05:00";
            }
        }

        if (Webhooks.Select(h => h.Name).Distinct(StringComparer.Ordinal).Count() != Webhooks.Count)
        {
            yield return "Alerts:Webhooks names must be unique";
        }

        if (PollInterval < TimeSpan.FromMilliseconds(50) || PollInterval > TimeSpan.FromMinutes(5))
        {
            yield return $"Alerts:PollInterval {PollInterval} must be between 00:00:00.05 and 00:05:00";
        }

        if (FirstRetryDelay <= TimeSpan.Zero || MaxRetryDelay < FirstRetryDelay)
        {
            yield return $"Alerts:FirstRetryDelay {FirstRetryDelay} must be positive and at most Alerts:MaxRetryDelay {MaxRetryDelay}";
        }
    }
}

/// <summary>The <c>Influx</c> section: where ticket events are drawn beside the readings; off without a URL.</summary>
public sealed class TimelineSettings
{
    public Uri? Url { get; set; }

    public string Database { get; set; } = "telemetry";

    public string? Username { get; set; }

    public string? Password { get; set; }

    public IEnumerable<string> Validate()
    {
        if (Url is not null && (!Url.IsAbsoluteUri || (Url.Scheme != Uri.UriSchemeHttp && Url.Scheme != Uri.UriSchemeHttps)))
        {
            yield return $"Influx:Url '{Url}' must be an absolute http or https address";
        }

        if (!Identifiers.IsValid(Database))
        {
            yield return $"Influx:Database '{Database}' is invalid: {Identifiers.Rule}";
        }
    }
}

/// <summary>Names of notification destinations besides the webhooks'.</summary>
public static class AlertDestinations
{
    /// <summary>The broker: <c>lighting/alerts/{crew}</c>.</summary>
    public const string Mqtt = "mqtt";

    /// <summary>InfluxDB's <c>events</c> measurement.</summary>
    public const string Influx = "influx";
}
