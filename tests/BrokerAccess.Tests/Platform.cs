// The tests start Mosquitto and read file modes: they run where the product's broker runs.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
