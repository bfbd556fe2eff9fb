using Telemetry.Hosting;

var app = ServiceHost.CreateBuilder(args, "Api").Build();
app.MapServiceHealth();
await app.RunAsync();
