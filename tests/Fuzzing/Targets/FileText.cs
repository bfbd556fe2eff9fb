using System.Text;

namespace Telemetry.Fuzzing.Targets;

/// <summary>A file's bytes as <see cref="File.ReadAllText(string)"/> gives them to the loaders: UTF-8 unless a byte order mark says otherwise, bad bytes replaced.</summary>
internal static class FileText
{
    public static string Of(byte[] bytes)
    {
        using var reader = new StreamReader(new MemoryStream(bytes), Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        return reader.ReadToEnd();
    }
}
