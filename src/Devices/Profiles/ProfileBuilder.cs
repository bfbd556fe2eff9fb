using System.Globalization;
using System.Text.RegularExpressions;
using Telemetry.Contracts;

namespace Telemetry.Devices.Profiles;

/// <summary>Turns a <see cref="ProfileDocument"/> into a <see cref="DeviceProfile"/>, collecting every broken rule.</summary>
internal sealed partial class ProfileBuilder
{
    private readonly string source;
    private readonly List<ProfileError> errors = [];

    private ProfileBuilder(string source) => this.source = source;

    /// <summary>The profile, or null with the broken rules in <paramref name="errors"/>.</summary>
    public static DeviceProfile? Build(ProfileDocument document, string source, List<ProfileError> errors)
    {
        var builder = new ProfileBuilder(source);
        var profile = builder.Build(document);
        errors.AddRange(builder.errors);
        return builder.errors.Count == 0 ? profile : null;
    }

    [GeneratedRegex("^[a-z][a-z0-9]*(_[a-z0-9]+)*$")]
    private static partial Regex PointNamePattern();

    [GeneratedRegex("^[a-z0-9]+([._-][a-z0-9]+)*$")]
    private static partial Regex ModelIdPattern();

    private DeviceProfile? Build(ProfileDocument document)
    {
        if (string.IsNullOrWhiteSpace(document.Model))
        {
            Error(null, ProfileRule.MissingField, "'model' is required");
        }
        else if (!ModelIdPattern().IsMatch(document.Model))
        {
            Error(null, ProfileRule.InvalidName, $"model id '{document.Model}' must be lower case letters and digits separated by '-', '_' or '.'");
        }

        if (string.IsNullOrWhiteSpace(document.Manufacturer))
        {
            Error(null, ProfileRule.MissingField, "'manufacturer' is required");
        }

        var family = ParseFamily(document.Family);
        var links = ParseLinks(document.Links);
        var wordOrder = WordOrder.ABCD;
        if (document.WordOrder is not null && !TryParseWordOrder(document.WordOrder, out wordOrder))
        {
            Error(null, ProfileRule.UnknownWordOrder, $"word_order '{document.WordOrder}' is none of ABCD, CDAB, BADC, DCBA");
        }

        var limits = ParseLimits(document.Limits);

        var devicePoints = new List<PointDefinition>();
        for (var i = 0; i < (document.Points?.Count ?? 0); i++)
        {
            if (document.Points![i] is null)
            {
                Error($"points[{i}]", ProfileRule.MalformedJson, "a point must be an object, not null");
            }
            else if (ParsePoint(document.Points[i], $"points[{i}]", wordOrder, limits, strides: null) is { } point)
            {
                devicePoints.Add(point);
            }
        }

        var (circuitCount, strides, templates) = ParseCircuits(document.Circuits, wordOrder, limits);
        if ((document.Points?.Count ?? 0) == 0 && (document.Circuits?.Points?.Count ?? 0) == 0)
        {
            Error(null, ProfileRule.MissingField, "the profile has no points (neither 'points' nor 'circuits.points')");
        }

        CheckNames(devicePoints, templates);
        var points = Expand(devicePoints, templates, circuitCount, strides);
        CheckOverlaps(points);

        if (errors.Count > 0 || family is null)
        {
            return null;
        }

        return new DeviceProfile
        {
            Model = document.Model!,
            Manufacturer = document.Manufacturer!,
            Family = family.Value,
            Description = document.Description,
            Links = links,
            WordOrder = wordOrder,
            Limits = limits,
            CircuitCount = circuitCount,
            Points = points,
            Source = source,
        };
    }

    private DeviceFamily? ParseFamily(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            Error(null, ProfileRule.MissingField, "'family' is required");
            return null;
        }

        if (!DeviceFamilyNames.TryParse(text, out var family))
        {
            Error(null, ProfileRule.UnknownFamily,
                $"family '{text}' is none of {string.Join(", ", Enum.GetValues<DeviceFamily>().Select(f => f.ToContractName()))}");
            return null;
        }

        return family;
    }

    private List<LinkType> ParseLinks(List<string>? texts)
    {
        var links = new List<LinkType>();
        if (texts is null || texts.Count == 0)
        {
            Error(null, ProfileRule.MissingField, "'links' must name at least one of tcp, rtu");
            return links;
        }

        foreach (var text in texts)
        {
            LinkType? link = text switch { "tcp" => LinkType.Tcp, "rtu" => LinkType.Rtu, _ => null };
            if (link is null)
            {
                Error(null, ProfileRule.UnknownLinkType, $"link '{text}' is neither tcp nor rtu");
            }
            else if (!links.Contains(link.Value))
            {
                links.Add(link.Value);
            }
        }

        return links;
    }

    private ReadLimits ParseLimits(LimitsDocument? document)
    {
        var limits = new ReadLimits(
            document?.MaxRegistersPerRead ?? ReadLimits.ProtocolMaxRegisters,
            document?.MaxBitsPerRead ?? ReadLimits.ProtocolMaxBits,
            document?.MaxRegisterGap ?? 0,
            document?.MaxBitGap ?? 0);
        if (limits.MaxRegistersPerRead is < 1 or > ReadLimits.ProtocolMaxRegisters)
        {
            Error(null, ProfileRule.InvalidLimits, $"max_registers_per_read {limits.MaxRegistersPerRead} is outside 1..{ReadLimits.ProtocolMaxRegisters}");
        }

        if (limits.MaxBitsPerRead is < 1 or > ReadLimits.ProtocolMaxBits)
        {
            Error(null, ProfileRule.InvalidLimits, $"max_bits_per_read {limits.MaxBitsPerRead} is outside 1..{ReadLimits.ProtocolMaxBits}");
        }

        if (limits.MaxRegisterGap < 0)
        {
            Error(null, ProfileRule.InvalidLimits, $"max_register_gap {limits.MaxRegisterGap} is negative");
        }

        if (limits.MaxBitGap < 0)
        {
            Error(null, ProfileRule.InvalidLimits, $"max_bit_gap {limits.MaxBitGap} is negative");
        }

        return limits;
    }

    private (int Count, Dictionary<RegisterTable, int> Strides, List<PointDefinition> Templates) ParseCircuits(
        CircuitsDocument? document, WordOrder wordOrder, ReadLimits limits)
    {
        var strides = new Dictionary<RegisterTable, int>();
        var templates = new List<PointDefinition>();
        if (document is null)
        {
            return (0, strides, templates);
        }

        var count = document.Count ?? 0;
        if (count < 1)
        {
            Error(null, ProfileRule.InvalidCircuits, $"circuits.count must be at least 1, found {(document.Count is null ? "none" : count)}");
        }

        foreach (var (tableText, stride) in document.Stride ?? [])
        {
            if (!TryParseTable(tableText, out var table))
            {
                Error(null, ProfileRule.UnknownTable, $"circuits.stride names table '{tableText}', which is none of coil, discrete_input, holding, input");
            }
            else if (stride < 1)
            {
                Error(null, ProfileRule.InvalidCircuits, $"circuits.stride.{tableText} must be at least 1, found {stride}");
            }
            else
            {
                strides[table] = stride;
            }
        }

        if (document.Points is null || document.Points.Count == 0)
        {
            Error(null, ProfileRule.MissingField, "circuits.points is required and must not be empty");
        }

        for (var i = 0; i < (document.Points?.Count ?? 0); i++)
        {
            if (document.Points![i] is null)
            {
                Error($"circuits.points[{i}]", ProfileRule.MalformedJson, "a point must be an object, not null");
            }
            else if (ParsePoint(document.Points[i], $"circuits.points[{i}]", wordOrder, limits, strides) is { } point)
            {
                templates.Add(point);
            }
        }

        return (Math.Max(count, 0), strides, templates);
    }

    private PointDefinition? ParsePoint(
        PointDocument d, string position, WordOrder profileOrder, ReadLimits limits, Dictionary<RegisterTable, int>? strides)
    {
        var label = string.IsNullOrEmpty(d.Name) ? position : d.Name;
        var before = errors.Count;

        if (string.IsNullOrEmpty(d.Name))
        {
            Error(label, ProfileRule.MissingField, "'name' is required");
        }
        else if (!PointNamePattern().IsMatch(d.Name))
        {
            Error(label, ProfileRule.InvalidName, $"name '{d.Name}' is not lower snake_case");
        }

        RegisterTable? table = null;
        if (d.Table is null)
        {
            Error(label, ProfileRule.MissingField, "'table' is required");
        }
        else if (TryParseTable(d.Table, out var parsedTable))
        {
            table = parsedTable;
        }
        else
        {
            Error(label, ProfileRule.UnknownTable, $"table '{d.Table}' is none of coil, discrete_input, holding, input");
        }

        if (d.Address is null)
        {
            Error(label, ProfileRule.MissingField, "'address' is required");
        }
        else if (d.Address is < 0 or > ushort.MaxValue)
        {
            Error(label, ProfileRule.AddressOutOfRange, $"address {d.Address} is outside 0..65535");
        }

        DataType? type = null;
        if (d.Type is null)
        {
            Error(label, ProfileRule.MissingField, "'type' is required");
        }
        else if (TryParseDataType(d.Type, out var parsedType))
        {
            type = parsedType;
        }
        else
        {
            Error(label, ProfileRule.UnknownDataType, $"type '{d.Type}' is none of bit, u16, s16, u32, s32, f32, u64, string, bitfield");
        }

        if (table is { } t && type is { } ty && t.HoldsBits() != (ty == DataType.Bit))
        {
            Error(label, ProfileRule.TypeNotAllowedInTable, ty == DataType.Bit
                ? $"type bit needs a coil or discrete_input, not a {t.ToJsonName()} register (use a bitfield for bits of a register)"
                : $"type {ty.ToJsonName()} needs a holding or input register, not a {t.ToJsonName()}");
        }

        if (strides is not null && table is { } circuitTable && !strides.ContainsKey(circuitTable))
        {
            Error(label, ProfileRule.InvalidCircuits, $"circuits.stride has no entry for table {circuitTable.ToJsonName()}");
        }

        var length = type is { } lengthType ? ParseLength(d, lengthType, label) : 1;
        if (d.Address is >= 0 and <= ushort.MaxValue && d.Address + length > ushort.MaxValue + 1)
        {
            Error(label, ProfileRule.AddressOutOfRange, $"{length} registers from address {d.Address} end beyond 65535");
        }

        if (table is { } limitTable && length > limits.MaxLength(limitTable))
        {
            Error(label, ProfileRule.PointExceedsReadLimit,
                $"{length} registers do not fit one read of at most {limits.MaxLength(limitTable)}");
        }

        var order = profileOrder;
        if (d.WordOrder is not null)
        {
            if (type == DataType.Bit)
            {
                Error(label, ProfileRule.NotApplicable, "word_order means nothing for a bit");
            }
            else if (!TryParseWordOrder(d.WordOrder, out order))
            {
                Error(label, ProfileRule.UnknownWordOrder, $"word_order '{d.WordOrder}' is none of ABCD, CDAB, BADC, DCBA");
            }
        }

        var numeric = type is { } nt && nt.IsNumeric();
        if (d.Scale == 0m)
        {
            Error(label, ProfileRule.ScaleZero, "scale 0 would make every value the offset");
        }

        if (type is not null && !numeric && (d.Scale is not null || d.Offset is not null))
        {
            Error(label, ProfileRule.NotApplicable, $"scale and offset apply to numbers, not to a {type.Value.ToJsonName()}");
        }

        CheckUnit(d, type, label);

        var writable = d.Writable ?? false;
        if (writable && table is { } writeTable && !writeTable.IsWritable())
        {
            Error(label, ProfileRule.WritableReadOnlyTable, $"a {writeTable.ToJsonName()} cannot be written; only coils and holding registers can");
        }

        var labels = ParseLabels(d, type, label);
        var write = writable && table is { } wt && wt.IsWritable() ? ParseWrite(d, wt, type, length, label) : null;
        if (!writable && (d.Min is not null || d.Max is not null))
        {
            Error(label, ProfileRule.NotApplicable, "min/max bound commands, so they need writable: true");
        }

        if (!writable && d.WriteFunction is not null)
        {
            Error(label, ProfileRule.NotApplicable, "write_function needs writable: true");
        }

        if (!writable && d.OwnedBy is { Count: > 0 })
        {
            Error(label, ProfileRule.NotApplicable, "owned_by names the actions that write the point, so it needs writable: true");
        }

        foreach (var owner in d.OwnedBy ?? [])
        {
            if (owner is null || owner == CommandActions.Write || !CommandActions.All.Contains(owner))
            {
                Error(label, ProfileRule.InvalidOwner, $"owned_by '{owner}' is none of {string.Join(", ", CommandActions.All.Where(a => a != CommandActions.Write))}");
            }
        }

        var bitfield = ParseBitfield(d, type, length, label);

        if (errors.Count > before || table is null || type is null || d.Address is null)
        {
            return null;
        }

        return new PointDefinition
        {
            Name = d.Name!,
            Table = table.Value,
            Address = d.Address.Value,
            Type = type.Value,
            Length = length,
            WordOrder = order,
            Scale = d.Scale ?? 1m,
            Offset = d.Offset ?? 0m,
            Unit = d.Unit,
            Description = d.Description,
            Write = write,
            Bitfield = bitfield,
            Labels = labels,
            OwnedBy = d.OwnedBy is { Count: > 0 } owners ? [.. owners.Distinct(StringComparer.Ordinal)] : [],
        };
    }

    private int ParseLength(PointDocument d, DataType type, string label)
    {
        if (type.FixedLength() is { } fixedLength)
        {
            if (d.Length is not null && d.Length != fixedLength)
            {
                Error(label, ProfileRule.InvalidLength, $"a {type.ToJsonName()} is {fixedLength} register(s) long; length {d.Length} contradicts it");
            }

            return fixedLength;
        }

        if (type == DataType.String)
        {
            if (d.Length is null or < 1)
            {
                Error(label, ProfileRule.InvalidLength, $"a string needs a length of at least 1 register, found {(d.Length is null ? "none" : d.Length)}");
                return 1;
            }

            return d.Length.Value;
        }

        // Bitfield: a u16 or a u32.
        var length = d.Length ?? 1;
        if (length is not (1 or 2))
        {
            Error(label, ProfileRule.InvalidLength, $"a bitfield is 1 (u16) or 2 (u32) registers long, not {length}");
            return 1;
        }

        return length;
    }

    private void CheckUnit(PointDocument d, DataType? type, string label)
    {
        if (d.Name is null || type is null)
        {
            return;
        }

        var implied = PointUnits.UnitImpliedBy(d.Name);
        if (d.Unit is not null)
        {
            if (PointUnits.SuffixOf(d.Unit) is not { } suffix)
            {
                Error(label, ProfileRule.UnknownUnit, $"unit '{d.Unit}' is none of {string.Join(", ", PointUnits.Known)}");
            }
            else if (!type.Value.IsNumeric())
            {
                Error(label, ProfileRule.NotApplicable, $"a {type.Value.ToJsonName()} carries no unit");
            }
            else if (!d.Name.EndsWith(suffix, StringComparison.Ordinal))
            {
                Error(label, ProfileRule.UnitSuffixMismatch, $"unit {d.Unit} needs the name to end in '{suffix}'");
            }
        }
        else if (implied is not null && type != DataType.Bitfield)
        {
            Error(label, ProfileRule.UnitSuffixMismatch, type.Value.IsNumeric()
                ? $"the name's suffix stands for {implied}, but the point has no unit"
                : $"a {type.Value.ToJsonName()} carries no unit, so its name must not end in a unit suffix ({implied})");
        }
    }

    private IReadOnlyDictionary<long, string> ParseLabels(PointDocument d, DataType? type, string label)
    {
        var labels = new Dictionary<long, string>();
        if (d.Labels is null)
        {
            return labels;
        }

        if (type is { } t && (!t.IsInteger() || (d.Scale ?? 1m) != 1m || (d.Offset ?? 0m) != 0m))
        {
            Error(label, ProfileRule.NotApplicable, "labels name raw values, so they need an integer type without scale or offset");
            return labels;
        }

        var (lowest, highest) = type is { } rt ? RawRange(rt) : (decimal.MinValue, decimal.MaxValue);
        foreach (var (key, text) in d.Labels)
        {
            if (!long.TryParse(key, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var raw))
            {
                Error(label, ProfileRule.InvalidLabels, $"label key '{key}' is not a whole number");
            }
            else if (raw < lowest || raw > highest)
            {
                Error(label, ProfileRule.InvalidLabels, $"label key {raw} is outside what a {type!.Value.ToJsonName()} holds");
            }
            else if (string.IsNullOrWhiteSpace(text))
            {
                Error(label, ProfileRule.InvalidLabels, $"label of {raw} is empty");
            }
            else
            {
                labels[raw] = text;
            }
        }

        return labels;
    }

    private WriteAccess? ParseWrite(PointDocument d, RegisterTable table, DataType? type, int length, string label)
    {
        byte function;
        if (table == RegisterTable.Coil)
        {
            function = (byte)(d.WriteFunction ?? 5);
            if (function is not (5 or 15) || d.WriteFunction is < 0 or > 255)
            {
                Error(label, ProfileRule.InvalidFunctionCode, $"a coil is written with function 5 or 15, not {d.WriteFunction}");
            }
        }
        else
        {
            function = (byte)(d.WriteFunction ?? (length == 1 ? 6 : 16));
            if (function is not (6 or 16) || d.WriteFunction is < 0 or > 255)
            {
                Error(label, ProfileRule.InvalidFunctionCode, $"a holding register is written with function 6 or 16, not {d.WriteFunction}");
            }
            else if (function == 6 && length != 1)
            {
                Error(label, ProfileRule.InvalidFunctionCode, $"function 6 writes one register, but the point is {length} long");
            }
        }

        if (type is { } t && !t.IsNumeric() && (d.Min is not null || d.Max is not null))
        {
            Error(label, ProfileRule.NotApplicable, $"min/max bound numbers, not a {t.ToJsonName()}");
        }
        else if (d.Min is { } min && d.Max is { } max && min > max)
        {
            Error(label, ProfileRule.InvalidRange, $"min {Format(min)} is greater than max {Format(max)}");
        }
        else if (type is { } it && it.IsInteger())
        {
            var (lowest, highest) = EngineeringRange(it, d.Scale ?? 1m, d.Offset ?? 0m);
            foreach (var (bound, value) in new[] { ("min", d.Min), ("max", d.Max) })
            {
                if (value is { } v && (v < (double)lowest || v > (double)highest))
                {
                    Error(label, ProfileRule.InvalidRange,
                        $"{bound} {Format(v)} is outside what a {it.ToJsonName()} with this scale and offset holds ({lowest}..{highest})");
                }
            }
        }

        return new WriteAccess(function, d.Min, d.Max);
    }

    private BitfieldLayout? ParseBitfield(PointDocument d, DataType? type, int length, string label)
    {
        if (type != DataType.Bitfield)
        {
            if (type is not null && (d.Flags is not null || d.Series is not null))
            {
                Error(label, ProfileRule.NotApplicable, "flags and series belong to a bitfield");
            }

            return null;
        }

        var width = 16 * length;
        var flags = new List<BitFlag>();
        var used = new HashSet<int>();
        if ((d.Flags?.Count ?? 0) == 0 && d.Series is null)
        {
            Error(label, ProfileRule.InvalidBitfield, "a bitfield needs flags, a series, or both");
        }

        foreach (var flag in d.Flags ?? [])
        {
            if (flag?.Bit is null || string.IsNullOrEmpty(flag.Name))
            {
                Error(label, ProfileRule.MissingField, "every flag needs 'bit' and 'name'");
                continue;
            }

            if (flag.Bit < 0 || flag.Bit >= width)
            {
                Error(label, ProfileRule.InvalidBitfield, $"flag '{flag.Name}' uses bit {flag.Bit}, outside 0..{width - 1}");
            }
            else if (!used.Add(flag.Bit.Value))
            {
                Error(label, ProfileRule.InvalidBitfield, $"bit {flag.Bit} is used twice");
            }

            CheckGeneratedName(flag.Name, label);
            flags.Add(new BitFlag(flag.Bit.Value, flag.Name, flag.Invert ?? false, flag.Description));
        }

        BitSeries? series = null;
        if (d.Series is { } s)
        {
            // first_bit + count in long: in int, a count near int.MaxValue wrapped negative, passed the check, and made
            // a series of two billion names.
            if (s.FirstBit is null || s.Count is null || string.IsNullOrEmpty(s.Name))
            {
                Error(label, ProfileRule.MissingField, "a series needs 'first_bit', 'count' and 'name'");
            }
            else if (s.FirstBit < 0 || s.Count < 1 || (long)s.FirstBit + s.Count > width)
            {
                Error(label, ProfileRule.InvalidBitfield, $"series bits {s.FirstBit}..{(long)s.FirstBit + s.Count - 1} do not fit a {width}-bit field");
            }
            else if (!s.Name.Contains(BitSeries.NumberPlaceholder, StringComparison.Ordinal))
            {
                Error(label, ProfileRule.InvalidBitfield, $"series name '{s.Name}' lacks the {BitSeries.NumberPlaceholder} placeholder for the item number");
            }
            else
            {
                for (var bit = s.FirstBit.Value; bit < s.FirstBit + s.Count; bit++)
                {
                    if (!used.Add(bit))
                    {
                        Error(label, ProfileRule.InvalidBitfield, $"bit {bit} is used twice");
                    }
                }

                series = new BitSeries(s.FirstBit.Value, s.Count.Value, s.Name, s.Total, s.Description);
                CheckGeneratedName(series.NameOf(1), label);
                if (s.Total is not null)
                {
                    CheckGeneratedName(s.Total, label);
                }
            }
        }

        return new BitfieldLayout(flags, series);
    }

    private void CheckGeneratedName(string name, string label)
    {
        if (!PointNamePattern().IsMatch(name))
        {
            Error(label, ProfileRule.InvalidName, $"bit name '{name}' is not lower snake_case");
        }
        else if (PointUnits.UnitImpliedBy(name) is { } unit)
        {
            Error(label, ProfileRule.UnitSuffixMismatch, $"bit name '{name}' is a boolean or a count, so it must not end in a unit suffix ({unit})");
        }
    }

    private void CheckNames(List<PointDefinition> devicePoints, List<PointDefinition> templates)
    {
        var deviceNames = CollectNames(devicePoints, "at device level");
        CollectNames(templates, "per circuit");
        foreach (var template in templates)
        {
            foreach (var name in template.ValueNames().Where(deviceNames.ContainsKey))
            {
                Error(template.Name, ProfileRule.DuplicateName,
                    $"value name '{name}' is used both at device level (by '{deviceNames[name]}') and per circuit");
            }
        }
    }

    private Dictionary<string, string> CollectNames(List<PointDefinition> points, string level)
    {
        var owners = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var point in points)
        {
            foreach (var name in point.ValueNames())
            {
                if (owners.TryGetValue(name, out var owner))
                {
                    Error(point.Name, ProfileRule.DuplicateName, owner == point.Name
                        ? $"value name '{name}' is used twice {level}"
                        : $"value name '{name}' is already used {level} by '{owner}'");
                }
                else
                {
                    owners[name] = point.Name;
                }
            }
        }

        return owners;
    }

    private List<PointDefinition> Expand(
        List<PointDefinition> devicePoints, List<PointDefinition> templates, int circuitCount, Dictionary<RegisterTable, int> strides)
    {
        var points = new List<PointDefinition>(devicePoints);
        var reported = new HashSet<PointDefinition>(ReferenceEqualityComparer.Instance);

        // Addresses grow with the circuit: once every template is past 65535, further circuits add nothing but
        // time (a count of 2,147,483,647 took 20 s and gigabytes before it was refused).
        var expanding = templates.Count(t => strides.ContainsKey(t.Table));
        for (var circuit = 1; circuit <= circuitCount && reported.Count < expanding; circuit++)
        {
            foreach (var template in templates)
            {
                if (!strides.TryGetValue(template.Table, out var stride))
                {
                    continue;
                }

                var address = template.Address + ((long)(circuit - 1) * stride);
                if (address + template.Length > ushort.MaxValue + 1)
                {
                    if (reported.Add(template))
                    {
                        Error(template.Name, ProfileRule.AddressOutOfRange,
                            $"circuit {circuit} puts it at {template.Table.ToJsonName()} {address}..{address + template.Length - 1}, beyond 65535");
                    }

                    continue;
                }

                points.Add(template with { Circuit = circuit, Address = (int)address });
            }
        }

        for (var i = 0; i < points.Count; i++)
        {
            points[i] = points[i] with { Ordinal = i };
        }

        return points;
    }

    private void CheckOverlaps(List<PointDefinition> points)
    {
        foreach (var table in points.GroupBy(p => p.Table))
        {
            PointDefinition? reach = null;
            foreach (var point in table.OrderBy(p => p.Address).ThenBy(p => p.Ordinal))
            {
                if (reach is not null && point.Address < reach.End)
                {
                    Error(point.Name, ProfileRule.OverlappingRegisters,
                        $"{Describe(point)} overlaps {Describe(reach)} in the {table.Key.ToJsonName()} table");
                }

                if (reach is null || point.End > reach.End)
                {
                    reach = point;
                }
            }
        }
    }

    private static string Describe(PointDefinition point)
    {
        var where = point.Length == 1 ? $"{point.Address}" : $"{point.Address}..{point.End - 1}";
        return point.Circuit is { } c ? $"'{point.Name}' of circuit {c} ({where})" : $"'{point.Name}' ({where})";
    }

    /// <summary>The raw values a type holds.</summary>
    internal static (decimal Lowest, decimal Highest) RawRange(DataType type) => type switch
    {
        DataType.U16 => (0, ushort.MaxValue),
        DataType.S16 => (short.MinValue, short.MaxValue),
        DataType.U32 => (0, uint.MaxValue),
        DataType.S32 => (int.MinValue, int.MaxValue),
        DataType.U64 => (0, ulong.MaxValue),
        _ => (decimal.MinValue, decimal.MaxValue),
    };

    private static (decimal Lowest, decimal Highest) EngineeringRange(DataType type, decimal scale, decimal offset)
    {
        if (scale == 0m)
        {
            return (decimal.MinValue, decimal.MaxValue);
        }

        var (lowest, highest) = RawRange(type);
        try
        {
            var a = (lowest * scale) + offset;
            var b = (highest * scale) + offset;
            return (Math.Min(a, b), Math.Max(a, b));
        }
        catch (OverflowException)
        {
            return (decimal.MinValue, decimal.MaxValue);
        }
    }

    private static bool TryParseTable(string text, out RegisterTable table)
    {
        RegisterTable? parsed = text switch
        {
            "coil" => RegisterTable.Coil,
            "discrete_input" => RegisterTable.DiscreteInput,
            "holding" => RegisterTable.Holding,
            "input" => RegisterTable.Input,
            _ => null,
        };
        table = parsed ?? default;
        return parsed is not null;
    }

    private static bool TryParseDataType(string text, out DataType type)
    {
        DataType? parsed = text switch
        {
            "bit" => DataType.Bit,
            "u16" => DataType.U16,
            "s16" => DataType.S16,
            "u32" => DataType.U32,
            "s32" => DataType.S32,
            "f32" => DataType.F32,
            "u64" => DataType.U64,
            "string" => DataType.String,
            "bitfield" => DataType.Bitfield,
            _ => null,
        };
        type = parsed ?? default;
        return parsed is not null;
    }

    private static bool TryParseWordOrder(string text, out WordOrder order)
    {
        WordOrder? parsed = text switch
        {
            "ABCD" => WordOrder.ABCD,
            "CDAB" => WordOrder.CDAB,
            "BADC" => WordOrder.BADC,
            "DCBA" => WordOrder.DCBA,
            _ => null,
        };
        order = parsed ?? default;
        return parsed is not null;
    }

    private static string Format(double value) => value.ToString(CultureInfo.InvariantCulture);

    private void Error(string? point, ProfileRule rule, string detail) => errors.Add(new ProfileError(source, point, rule, detail));
}
