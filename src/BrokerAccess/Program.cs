using Telemetry.BrokerAccess.CommandLine;

return await AccessCommand.RunAsync(args, Console.Out, Console.Error, CancellationToken.None);
