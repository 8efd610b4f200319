using System.Text.RegularExpressions;

namespace Portal.Web.Domain;

/// <summary>A maker of devices, kept once in the catalogue and named by every circular's rules. Aliases catch the names people type ("Mi", "Redmi" for Xiaomi).</summary>
public sealed class Manufacturer
{
    private Manufacturer() { }

    public Guid Id { get; private set; }
    public string Name { get; private set; } = "";
    public string[] Aliases { get; private set; } = [];
    public Guid? VendorOrganisationId { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }

    public static Manufacturer Create(string name, IEnumerable<string> aliases, Guid? vendorOrganisationId, DateTimeOffset now)
    {
        var manufacturer = new Manufacturer { Id = Guid.CreateVersion7(), CreatedAt = now };
        manufacturer.Change(name, aliases, vendorOrganisationId);
        return manufacturer;
    }

    public void Change(string name, IEnumerable<string> aliases, Guid? vendorOrganisationId)
    {
        Name = name.Trim();
        Aliases = Catalogue.Distinct(aliases);
        VendorOrganisationId = vendorOrganisationId;
    }
}

/// <summary>A device model: marketing name, the model numbers printed on the box, and the TACs (first eight IMEI digits) it was allocated.</summary>
public sealed class DeviceModel
{
    private DeviceModel() { }

    public Guid Id { get; private set; }
    public Guid ManufacturerId { get; private set; }
    public string MarketingName { get; private set; } = "";
    public string[] ModelNumbers { get; private set; } = [];
    public string[] Tacs { get; private set; } = [];
    public DateTimeOffset CreatedAt { get; private set; }

    public static DeviceModel Create(Guid manufacturerId, string marketingName, IEnumerable<string> modelNumbers, IEnumerable<string> tacs, DateTimeOffset now)
    {
        var model = new DeviceModel { Id = Guid.CreateVersion7(), ManufacturerId = manufacturerId, CreatedAt = now };
        model.Change(marketingName, modelNumbers, tacs);
        return model;
    }

    public void Change(string marketingName, IEnumerable<string> modelNumbers, IEnumerable<string> tacs)
    {
        MarketingName = marketingName.Trim();
        ModelNumbers = Catalogue.Distinct(modelNumbers);
        Tacs = Catalogue.Distinct(tacs);
    }
}

public sealed class FirmwareVersion
{
    private FirmwareVersion() { }

    public Guid Id { get; private set; }
    public Guid DeviceModelId { get; private set; }
    public string Version { get; private set; } = "";
    public DateOnly? ReleasedOn { get; private set; }
    public string? Notes { get; private set; }

    public static FirmwareVersion Create(Guid deviceModelId, string version, DateOnly? releasedOn, string? notes) => new()
    {
        Id = Guid.CreateVersion7(),
        DeviceModelId = deviceModelId,
        Version = version.Trim(),
        ReleasedOn = releasedOn,
        Notes = string.IsNullOrWhiteSpace(notes) ? null : notes.Trim(),
    };
}

public static partial class Catalogue
{
    public static string[] Distinct(IEnumerable<string> values) =>
        values.Select(v => v.Trim()).Where(v => v.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase).ToArray();

    /// <summary>Splits what a person typed into a list: commas, semicolons or new lines.</summary>
    public static string[] SplitList(string? text) =>
        Distinct((text ?? "").Split([',', ';', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries));

    public static bool IsTac(string value) => TacPattern().IsMatch(value);

    [GeneratedRegex(@"^\d{8}$")]
    private static partial Regex TacPattern();

    /// <summary>
    /// Compares firmware versions segment by segment: numbers as numbers, anything else ordinally
    /// ("V12.0.3.0.QFKMIXM" &lt; "V12.0.10.0"). Good enough for "below version X" across vendors' schemes.
    /// </summary>
    public static int CompareVersions(string left, string right)
    {
        var a = VersionSegments().Matches(left);
        var b = VersionSegments().Matches(right);
        for (var i = 0; i < Math.Max(a.Count, b.Count); i++)
        {
            if (i >= a.Count) return -1;
            if (i >= b.Count) return 1;
            var (x, y) = (a[i].Value, b[i].Value);
            var bothNumbers = long.TryParse(x, out var nx) & long.TryParse(y, out var ny);
            var order = bothNumbers ? nx.CompareTo(ny) : string.Compare(x, y, StringComparison.OrdinalIgnoreCase);
            if (order != 0) return order;
        }
        return 0;
    }

    [GeneratedRegex(@"\d+|[A-Za-z]+")]
    private static partial Regex VersionSegments();
}
