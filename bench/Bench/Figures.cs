using System.Globalization;

namespace Telemetry.Bench;

/// <summary>Prints a figure, and ours over the limit measured in the same run.</summary>
internal static class Figures
{
    public static void Rate(string what, double perSecond, string unit) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {what,-58} {perSecond,14:N0} {unit}/s"));

    public static void Value(string what, double value, string unit) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {what,-58} {value,14:N1} {unit}"));

    public static void Ratio(string what, double ratio, double target, bool higherIsBetter = true)
    {
        var met = higherIsBetter ? ratio >= target : ratio <= target;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {what,-58} {ratio,14:F2}   (target {(higherIsBetter ? ">=" : "<=")} {target:F2}: {(met ? "met" : "NOT met")})"));
    }

    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
