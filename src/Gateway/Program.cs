using Telemetry.Hosting;

var app = ServiceHost.CreateBuilder(args, "Gateway").Build();
app.MapServiceHealth();
await app.RunAsync();
