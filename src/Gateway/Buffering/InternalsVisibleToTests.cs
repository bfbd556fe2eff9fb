using System.Runtime.CompilerServices;

// The queue's format internals (checksum, record layout) are pinned by tests.
[assembly: InternalsVisibleTo("Telemetry.Gateway.Tests")]
