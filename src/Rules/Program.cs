using Quartz;
using Telemetry.InfluxDb;
using Telemetry.Contracts;
using Telemetry.Contracts.Validation;
using Telemetry.Hosting.DeadLetters;
using Telemetry.Hosting;
using Telemetry.Hosting.Sequences;
using Telemetry.Maintenance.Notifications;
using Telemetry.Maintenance.ServiceLevels;
using Telemetry.Maintenance.Storage;
using Telemetry.Maintenance.Thresholds;
using Telemetry.Maintenance.Tickets;
using Telemetry.Maintenance.WorkOrders;
using Telemetry.Mqtt;
using Telemetry.Rules.Alerts;
using Telemetry.Rules.Configuration;
using Telemetry.Rules.Consuming;
using Telemetry.Rules.Escalation;
using Telemetry.Rules.Evaluation;
using Telemetry.Rules.Health;
using Telemetry.Rules.Persistence;
using Telemetry.Rules.Planning;
using Telemetry.Rules.Predictive;
using Telemetry.Forecasting.Storage;
using Telemetry.Maintenance.Forecasts;
using Telemetry.Rules.Ticketing;

var builder = ServiceHost.CreateBuilder(args, "Rules");
var brokerSettings = new BrokerSettings { ClientId = "rules", SharedGroup = "rules" };
builder.Configuration.GetSection("Mqtt").Bind(brokerSettings);
var settings = builder.Configuration.GetSection("Rules").Get<RulesSettings>() ?? new RulesSettings();
var alertSettings = builder.Configuration.GetSection("Alerts").Get<AlertSettings>() ?? new AlertSettings();
var timelineSettings = builder.Configuration.GetSection("Influx").Get<TimelineSettings>() ?? new TimelineSettings();
var limits = builder.Configuration.GetSection("Validation").Get<ValidationLimits>() ?? new ValidationLimits();
limits.MaxFuture = settings.MaxFuture;
var healthSettings = builder.Configuration.GetSection("Health").Get<ConsumerHealthSettings>() ?? new ConsumerHealthSettings();
var deadLetterSettings = new DeadLetterSettings { File = "deadletters/rules-.jsonl", TopicSuffix = "deadletter/rules" };
builder.Configuration.GetSection("DeadLetters").Bind(deadLetterSettings);
var ticketOptions = new TicketOptions
{
    ServiceUnit = settings.ServiceUnit,
    TimeZone = settings.TimeZone,
    SameEventWindow = settings.SameEventWindow,
    SupervisorChannel = alertSettings.SupervisorChannel,
};

// The batch numbers judged live beside the tickets they led to: a database restored from a copy takes them with it.
var sequenceSettings = new SequenceSettings { File = Path.ChangeExtension(settings.Database, null) + ".sequences.json" };
builder.Configuration.GetSection(SequenceSettings.SectionName).Bind(sequenceSettings);
var problems = brokerSettings.Validate().Concat(settings.Validate()).Concat(sequenceSettings.Validate()).Concat(alertSettings.Validate()).Concat(timelineSettings.Validate())
    .Concat(ticketOptions.Validate().Select(p => "Rules:" + p)).Concat(limits.Validate()).Concat(healthSettings.Validate())
    .Concat(deadLetterSettings.Validate()).Distinct().ToList();
if (problems.Count > 0)
{
    throw new InvalidConfigurationException(problems);
}

builder.Services.AddSingleton(brokerSettings);
builder.Services.AddSingleton(settings);
builder.Services.AddSingleton(alertSettings);
// Deadlines and the repeat window come from the stored service-level terms, which admins change at run time.
builder.Services.AddSingleton(sp => ticketOptions with { ServiceLevelSource = sp.GetRequiredService<ServiceLevelMonitor>() });
builder.Services.AddSingleton(new Topics(brokerSettings.Root));
builder.Services.AddSingleton(sp => new ConsumerProgress(sp.GetRequiredService<TimeProvider>(), healthSettings.MaxMessageAge));
builder.Services.AddSingleton<RulesStatistics>();
builder.Services.AddSingleton(limits);
builder.Services.AddSingleton<GatewayMessageValidator>();
builder.Services.AddSingleton(sp =>
{
    var repair = new GapRepair(
        sp.GetRequiredService<IMqttClient>(), sp.GetRequiredService<Topics>(), brokerSettings.SharedGroup, sequenceSettings,
        sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<GapRepair>>());
    repair.Load();
    return repair;
});
builder.Services.AddSingleton(sp => new MessageJudge(
    sp.GetRequiredService<RuleEngine>(), sp.GetRequiredService<GatewayMessageValidator>(), sp.GetRequiredService<Topics>(), settings.MaxPayloadBytes,
    sp.GetRequiredService<RulesStatistics>(), sp.GetRequiredService<TimeProvider>())
{
    AlreadyJudged = sp.GetRequiredService<GapRepair>().IsHandled,
});
builder.Services.AddSingleton<DataGapTickets>();
builder.Services.AddSingleton(sp => new DeadLetterSink(
    sp.GetRequiredService<IMqttClient>(), deadLetterSettings, brokerSettings.Root, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<DeadLetterSink>>()));
builder.Services.AddSingleton<AlertSignal>();
builder.Services.AddSingleton(new SqliteDatabase(settings.Database));
builder.Services.AddSingleton<SqliteTicketRepository>();
builder.Services.AddSingleton<ITicketRepository>(sp => sp.GetRequiredService<SqliteTicketRepository>());
builder.Services.AddSingleton<INotificationOutbox>(sp => sp.GetRequiredService<SqliteNotificationOutbox>());
builder.Services.AddSingleton<SqliteNotificationOutbox>();
builder.Services.AddSingleton(RuleSet.Default);
builder.Services.AddSingleton(RuleSet.Default.Thresholds);
builder.Services.AddSingleton<IThresholdStore, SqliteThresholdStore>();
builder.Services.AddSingleton(new ThresholdMonitorOptions { PollInterval = settings.SettingsPollInterval });
builder.Services.AddSingleton<ThresholdMonitor>();
builder.Services.AddHostedService(sp => sp.GetRequiredService<ThresholdMonitor>());
builder.Services.AddSingleton<SqliteServiceLevelStore>();
builder.Services.AddSingleton(sp => new ServiceLevelMonitor(
    sp.GetRequiredService<SqliteServiceLevelStore>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<ServiceLevelMonitor>>(), settings.SettingsPollInterval));
builder.Services.AddHostedService(sp => sp.GetRequiredService<ServiceLevelMonitor>());
builder.Services.AddSingleton<PlantFiles>();
builder.Services.AddSingleton<RuleStateStore>();
builder.Services.AddSingleton(sp => new RuleEngine(
    sp.GetRequiredService<PlantFiles>().CreateDirectory(),
    () => sp.GetRequiredService<ThresholdMonitor>().Current,
    sp.GetRequiredService<TimeProvider>(),
    settings.EngineLimits(),
    sp.GetRequiredService<RuleSet>()));
builder.Services.AddSingleton<TicketRecorder>();
builder.Services.AddSingleton<EscalationSweep>();
builder.Services.AddSingleton<IWorkOrderStore>(sp => new SqliteWorkOrderStore(sp.GetRequiredService<SqliteDatabase>()));
builder.Services.AddSingleton<IMaintenanceIntervalStore>(sp => new SqliteMaintenanceIntervalStore(sp.GetRequiredService<SqliteDatabase>()));
builder.Services.AddSingleton<BatteryTestWorkOrders>();
builder.Services.AddSingleton(sp => new WorkOrderScheduler(
    sp.GetRequiredService<IWorkOrderStore>(), sp.GetRequiredService<IMaintenanceIntervalStore>(), sp.GetRequiredService<TimeProvider>(), settings.WorkOrderHorizon));
builder.Services.AddSingleton<IMqttClient>(sp => brokerSettings.CreateConsumer(
    settings.MaxPayloadBytes + 64 * 1024, sp.GetRequiredService<ILogger<MqttClient>>(), sp.GetRequiredService<TimeProvider>()));
builder.Services.AddHttpClient(AlertDispatcher.HttpClientName);
builder.Services.AddSingleton<IForecastStore>(sp => new SqliteForecastStore(sp.GetRequiredService<SqliteDatabase>()));
builder.Services.AddSingleton(sp => new PredictiveWorkOrders(
    sp.GetRequiredService<IWorkOrderStore>(), sp.GetRequiredService<ServiceLevelMonitor>(), sp.GetRequiredService<TimeProvider>()));
if (timelineSettings.Url is { } influxUrl)
{
    builder.Services.AddSingleton(sp => new InfluxClient(
        new InfluxClientOptions
        {
            BaseAddress = influxUrl,
            Database = timelineSettings.Database,
            Username = timelineSettings.Username,
            Password = timelineSettings.Password,
        },
        sp.GetRequiredService<ILogger<InfluxClient>>()));
    builder.Services.AddSingleton(sp => new TicketTimeline(sp.GetRequiredService<InfluxClient>(), timelineSettings.Database));

    // Forecasts read the plant history from the same InfluxDB. Battery installation dates: the first record of each
    // unit, until the site files carry commissioning dates.
    builder.Services.AddSingleton<IBatteryInstallationSource>(sp => new RegisteredInstallation(new FirstRecordInstallation(sp.GetRequiredService<InfluxClient>())));
    builder.Services.AddSingleton(sp => new ForecastRun(
        new PlantHistoryReader(sp.GetRequiredService<InfluxClient>()),
        sp.GetRequiredService<IBatteryInstallationSource>(),
        sp.GetRequiredService<IForecastStore>(),
        sp.GetRequiredService<PredictiveWorkOrders>(),
        new ForecastOptions { History = settings.ForecastHistory, LeadTimes = settings.ForecastLeadTime.ToLeadTimes() },
        sp.GetRequiredService<TimeProvider>(),
        sp.GetRequiredService<ILogger<ForecastRun>>()));
}

builder.Services.AddHostedService<RuleInputService>();
builder.Services.AddHostedService<AlertDispatcher>();
builder.Services.AddQuartz(quartz =>
{
    quartz.ScheduleJob<EscalationJob>(
        trigger => trigger.WithIdentity("escalation-sweep").StartNow()
            .WithSimpleSchedule(s => s.WithInterval(settings.EscalationInterval).RepeatForever()),
        job => job.WithIdentity(EscalationJob.Key));

    // At start (catching up whatever fell due while Rules was down) and then on its interval.
    quartz.ScheduleJob<WorkOrderScheduleJob>(
        trigger => trigger.WithIdentity("work-order-schedule").StartNow()
            .WithSimpleSchedule(s => s.WithInterval(settings.WorkOrderInterval).RepeatForever()),
        job => job.WithIdentity(WorkOrderScheduleJob.Key));

    if (timelineSettings.Url is not null)
    {
        // At start, then on its interval: a restart forecasts again and finds its work orders already open.
        quartz.ScheduleJob<ForecastJob>(
            trigger => trigger.WithIdentity("forecast").StartNow()
                .WithSimpleSchedule(s => s.WithInterval(settings.ForecastInterval).RepeatForever()),
            job => job.WithIdentity(ForecastJob.Key));
    }
});
builder.Services.AddQuartzHostedService(o => o.WaitForJobsToComplete = true);

var app = builder.Build();
app.Services.GetRequiredService<HealthRegistry>().Add(app.Services.GetRequiredService<RulesStatistics>());
app.Services.GetRequiredService<HealthRegistry>().Add(app.Services.GetRequiredService<GapRepair>());
if (app.Services.GetService<ForecastRun>() is { } forecasts)
{
    app.Services.GetRequiredService<HealthRegistry>().Add(forecasts);
}

app.MapServiceHealth();
await app.RunAsync();
