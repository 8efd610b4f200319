using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Portal.Web.Domain;

public enum DeviceSource { SelfRegistered, MdmImport }

/// <summary>
/// A phone registered to a staff member, or to one of their family (<see cref="DependentId"/>). The
/// manufacturer and model are kept as typed and, where the catalogue knows them, resolved to its ids
/// (aliases, TACs), so the compliance scan joins on ids. A removed device is kept (with why) so its
/// findings keep their history.
/// </summary>
public sealed class Device
{
    private Device() { }

    public Guid Id { get; private set; }
    public Guid StaffMemberId { get; private set; }
    public Guid? DependentId { get; private set; }
    public string ManufacturerName { get; private set; } = "";
    public Guid? ManufacturerId { get; private set; }
    public string Model { get; private set; } = "";
    public Guid? DeviceModelId { get; private set; }
    public string Imei { get; private set; } = "";
    public string Tac { get; private set; } = "";
    public string? OsVersion { get; private set; }
    public string? OsVersionKey { get; private set; }
    public string? SerialNumber { get; private set; }
    public string? DeviceName { get; private set; }
    public DeviceSource Source { get; private set; }
    public DateTimeOffset RegisteredAt { get; private set; }
    public DateTimeOffset UpdatedAt { get; private set; }
    public DateTimeOffset? RemovedAt { get; private set; }
    public string? RemovalReason { get; private set; }

    public static Device Register(Guid staffMemberId, Guid? dependentId, string imei, DeviceDescription description, DeviceSource source, DateTimeOffset now)
    {
        var device = new Device
        {
            Id = Guid.CreateVersion7(),
            StaffMemberId = staffMemberId,
            DependentId = dependentId,
            Imei = imei,
            Tac = Imeis.Tac(imei),
            Source = source,
            RegisteredAt = now,
        };
        device.Describe(description, now);
        return device;
    }

    public void Describe(DeviceDescription d, DateTimeOffset now)
    {
        if (RemovedAt is not null)
            throw new DomainException("This device was removed; register it again instead.");
        ManufacturerName = d.ManufacturerName.Trim();
        ManufacturerId = d.ManufacturerId;
        Model = d.Model.Trim();
        DeviceModelId = d.DeviceModelId;
        OsVersion = string.IsNullOrWhiteSpace(d.OsVersion) ? null : d.OsVersion.Trim();
        OsVersionKey = OsVersion is null ? null : Versions.Key(OsVersion);
        DeviceName = string.IsNullOrWhiteSpace(d.DeviceName) ? DeviceName : d.DeviceName.Trim();
        SerialNumber = string.IsNullOrWhiteSpace(d.SerialNumber) ? SerialNumber : d.SerialNumber.Trim();
        UpdatedAt = now;
    }

    public void Remove(string reason, DateTimeOffset now)
    {
        if (RemovedAt is not null)
            return;
        RemovedAt = now;
        RemovalReason = reason;
        UpdatedAt = now;
    }
}

/// <summary>What a person or an MDM export says a device is, with the catalogue ids resolved from it.</summary>
public sealed record DeviceDescription(string ManufacturerName, Guid? ManufacturerId, string Model, Guid? DeviceModelId,
    string? OsVersion, string? DeviceName = null, string? SerialNumber = null);

/// <summary>
/// IMEIs: 15 digits whose last is a Luhn check digit over the first 14; an IMEISV (16 digits: 14 of the
/// IMEI and a 2-digit software version) is accepted and turned into the IMEI it belongs to. The TAC is the
/// first 8 digits. People type spaces, dashes, slashes and dots between groups; those are dropped.
/// </summary>
public static partial class Imeis
{
    public static string Tac(string imei) => imei[..8];

    /// <summary>The 15-digit IMEI, or null with the reason a person can act on.</summary>
    public static string? Normalise(string? input, out string? problem)
    {
        problem = null;
        var digits = Separators().Replace(input ?? "", "");
        if (digits.Length == 0)
        {
            problem = "Give the IMEI: dial *#06# on the phone to see it.";
            return null;
        }
        if (!digits.All(char.IsAsciiDigit))
        {
            problem = "An IMEI has only digits: check it (dial *#06# on the phone to see it).";
            return null;
        }
        switch (digits.Length)
        {
            case 15 when CheckDigit(digits[..14]) == digits[14]:
                return digits;
            case 15:
                problem = "This IMEI's last digit does not check out (Luhn): a digit was probably mistyped.";
                return null;
            case 16:
                return digits[..14] + CheckDigit(digits[..14]);
            default:
                problem = $"An IMEI has 15 digits (16 with the software version); this has {digits.Length}.";
                return null;
        }
    }

    /// <summary>Luhn over 14 digits: every second digit from the left (positions 2, 4 ...) doubled.</summary>
    public static char CheckDigit(string fourteen)
    {
        var sum = 0;
        for (var i = 0; i < fourteen.Length; i++)
        {
            var d = fourteen[i] - '0';
            if (i % 2 == 1)
            {
                d *= 2;
                if (d > 9) d -= 9;
            }
            sum += d;
        }
        return (char)('0' + (10 - sum % 10) % 10);
    }

    /// <summary>What everyone but the owner and security officers see: the last four digits.</summary>
    public static string Mask(string imei) => imei.Length <= 4 ? imei : new string('•', imei.Length - 4) + imei[^4..];

    [GeneratedRegex(@"[\s\-/\.]")]
    private static partial Regex Separators();
}

/// <summary>
/// A sortable key for a firmware or OS version that orders as <see cref="Catalogue.CompareVersions"/> does,
/// so "below version X" is a plain string comparison in SQL (COLLATE "C") and the scan stays set-based:
/// numbers are zero-padded to 20 digits, letters lower-cased, each segment closed by a character below all others.
/// </summary>
public static partial class Versions
{
    public static string Key(string version)
    {
        var key = new StringBuilder();
        foreach (Match segment in Segments().Matches(version))
        {
            var value = segment.Value;
            key.Append(char.IsAsciiDigit(value[0])
                ? value.TrimStart('0').PadLeft(20, '0')
                : value.ToLower(CultureInfo.InvariantCulture));
            key.Append('!');
        }
        return key.ToString();
    }

    [GeneratedRegex(@"\d+|[A-Za-z]+")]
    private static partial Regex Segments();
}

/// <summary>
/// Manufacturer names as MDM exports and people write them ("XIAOMI INC.", "Xiaomi Communications Co., Ltd.")
/// brought to one key, compared with the catalogue's names and aliases brought to the same key.
/// </summary>
public static partial class ManufacturerNames
{
    private static readonly HashSet<string> CompanyWords =
    [
        "inc", "incorporated", "ltd", "limited", "co", "company", "corp", "corporation", "llc", "plc", "gmbh", "ag", "sa", "pvt",
        "private", "communications", "communication", "technology", "technologies", "tech", "electronics", "mobile", "telecom", "group",
    ];

    public static string Key(string name)
    {
        var words = Words().Matches(name.ToLowerInvariant()).Select(m => m.Value).ToList();
        while (words.Count > 1 && CompanyWords.Contains(words[^1]))
            words.RemoveAt(words.Count - 1);
        return string.Join(' ', words);
    }

    [GeneratedRegex(@"[\p{L}\p{N}]+")]
    private static partial Regex Words();
}
