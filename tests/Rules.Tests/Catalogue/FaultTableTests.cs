using Telemetry.Rules.Evaluation;

namespace Telemetry.Rules.Tests.Catalogue;

/// <summary>
/// The README's fault table is the rule catalogue's own: it is written from the rules' declarations, and this test fails
/// when the two differ. Run it with <c>TELEMETRY_WRITE_FAULT_TABLE=1</c> to write the table into the README.
/// </summary>
public sealed class FaultTableTests
{
    [Fact]
    public void The_readme_fault_table_is_the_one_the_catalogue_writes()
    {
        var readme = Path.Combine(RepositoryRoot(), "README.md");
        var text = File.ReadAllText(readme).ReplaceLineEndings("\n");
        var begin = text.IndexOf(FaultTable.Begin, StringComparison.Ordinal);
        var end = text.IndexOf(FaultTable.End, StringComparison.Ordinal);
        Assert.True(begin >= 0 && end > begin, $"README.md has no fault table between '{FaultTable.Begin}' and '{FaultTable.End}'");

        var current = text[(begin + FaultTable.Begin.Length)..end].Trim('\n');
        var generated = FaultTable.Markdown(RuleSet.Default).ReplaceLineEndings("\n").Trim('\n');
        if (current != generated && Environment.GetEnvironmentVariable("TELEMETRY_WRITE_FAULT_TABLE") == "1")
        {
            File.WriteAllText(readme, text[..(begin + FaultTable.Begin.Length)] + "\n" + generated + "\n" + text[end..]);
            return;
        }

        Assert.Equal(generated, current);
    }

    [Fact]
    public void Every_fault_type_has_its_row()
    {
        var table = FaultTable.Markdown(RuleSet.Default);

        Assert.All(RuleSet.Default.FaultTypes, f => Assert.Contains($"| `{f.Name}` |", table, StringComparison.Ordinal));
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Telemetry.sln")) && File.Exists(Path.Combine(directory.FullName, "README.md")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("the repository root (Telemetry.sln beside README.md) is not above the test's directory");
    }
}
