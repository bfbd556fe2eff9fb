using FsCheck;
using FsCheck.Fluent;

namespace Telemetry.Fuzzing.Tests;

/// <summary>
/// The targets a test class fuzzes, made on first use and disposed with the class (xunit makes one instance per
/// test), and the property every path must have.
/// </summary>
public abstract class FuzzPaths : IDisposable
{
    /// <summary>Inputs per path and run.</summary>
    public const int Inputs = 5_000;

    private readonly Dictionary<string, (IFuzzTarget Target, Property Property)> _paths = new(StringComparer.Ordinal);

    /// <summary>
    /// Whatever <paramref name="name"/> is fed, it accepts it or refuses it with a reason, never throws, and
    /// processes the valid input fed right after it. A failure prints the input, shrunk, in text and base64.
    /// </summary>
    /// <remarks>
    /// FsCheck calls a property method once per test: the target (an encoder, a database) and the property are
    /// made on the first call and kept, so that the inputs go to one target, as a service's messages do.
    /// </remarks>
    protected Property Path(string name)
    {
        if (!_paths.TryGetValue(name, out var path))
        {
            var target = FuzzTargets.Create(name);
            path = (target, Prop.ForAll(Arb.From(target.Inputs.Select(bytes => new FuzzInput(bytes)), FuzzInput.Shrink), input =>
            {
                if (FuzzInvariant.Check(target, input.Bytes, out _) is { } broken)
                {
                    Assert.Fail(broken);
                }
            }));
            _paths[name] = path;
        }

        return path.Property;
    }

    public void Dispose()
    {
        foreach (var (target, _) in _paths.Values)
        {
            (target as IDisposable)?.Dispose();
        }

        GC.SuppressFinalize(this);
    }
}
