using System.Text;
using nietras.SeparatedValues;
using Portal.Web.Domain;

namespace Portal.Web.Features.Devices;

/// <summary>The portal's import fields and the headers MDM exports (Intune first) give them.</summary>
public static class ImportFields
{
    public const string DeviceName = nameof(DeviceName);
    public const string Manufacturer = nameof(Manufacturer);
    public const string Model = nameof(Model);
    public const string Imei = nameof(Imei);
    public const string SerialNumber = nameof(SerialNumber);
    public const string OsVersion = nameof(OsVersion);
    public const string PrimaryUser = nameof(PrimaryUser);

    public static readonly IReadOnlyList<(string Field, string Label, bool Required, string[] Aliases)> All =
    [
        (Imei, "IMEI", true, ["imei", "imeinumber", "imei1", "imeione", "deviceimei"]),
        (Manufacturer, "Manufacturer", true, ["manufacturer", "make", "brand", "vendor", "devicemanufacturer"]),
        (Model, "Model", true, ["model", "devicemodel", "modelname", "product"]),
        (PrimaryUser, "Primary user (UPN or e-mail)", true,
            ["primaryuserupn", "primaryuser", "upn", "userprincipalname", "primaryuseremailaddress", "email", "emailaddress", "useremail", "userupn", "owner"]),
        (OsVersion, "OS or firmware version", false, ["osversion", "operatingsystemversion", "softwareversion", "firmware", "firmwareversion", "os"]),
        (SerialNumber, "Serial number", false, ["serialnumber", "serial", "serialno"]),
        (DeviceName, "Device name", false, ["devicename", "name", "hostname"]),
    ];

    public static string HeaderKey(string header) => new(header.Where(char.IsLetterOrDigit).Select(char.ToLowerInvariant).ToArray());

    /// <summary>Each field mapped to the first header that is one of its names, by the header's letters and digits only.</summary>
    public static Dictionary<string, string> Guess(IReadOnlyList<string> headers)
    {
        var mapping = new Dictionary<string, string>();
        foreach (var (field, _, _, aliases) in All)
            if (headers.FirstOrDefault(h => aliases.Contains(HeaderKey(h))) is { } header)
                mapping[field] = header;
        return mapping;
    }
}

/// <summary>One row of an export, checked and resolved, ready for the staging table.</summary>
public sealed record ImportRow(int Line, string Imei, DeviceDescription Device, string PrimaryUser);

/// <summary>
/// Reads an uploaded export: its text (UTF-8, with or without a byte-order mark, or UTF-16 with one), its header,
/// and its rows checked one by one. A row is refused for what a person can fix: a bad IMEI, a missing cell, an
/// IMEI already on an earlier line, a cell that would run as a spreadsheet formula.
/// </summary>
public static class ImportFile
{
    public static string? Text(byte[] content, out string? problem)
    {
        problem = null;
        try
        {
            if (content.Length >= 2 && content[0] == 0xFF && content[1] == 0xFE)
                return new UnicodeEncoding(false, true, true).GetString(content, 2, content.Length - 2);
            if (content.Length >= 2 && content[0] == 0xFE && content[1] == 0xFF)
                return new UnicodeEncoding(true, true, true).GetString(content, 2, content.Length - 2);
            var start = content.Length >= 3 && content[0] == 0xEF && content[1] == 0xBB && content[2] == 0xBF ? 3 : 0;
            return new UTF8Encoding(false, true).GetString(content, start, content.Length - start);
        }
        catch (DecoderFallbackException)
        {
            problem = "The file is not UTF-8 text. In Excel, save it as \"CSV UTF-8 (Comma delimited)\" and upload it again.";
            return null;
        }
    }

    public static IReadOnlyList<string> Headers(string text, out string? problem)
    {
        problem = null;
        try
        {
            using var reader = Reader(text);
            var headers = reader.Header.ColNames.Select(h => h.Trim()).ToList();
            if (headers.Count < 2 || headers.All(h => h.Length == 0))
                problem = "The file has no header row of column names (IMEI, Manufacturer, Model, PrimaryUser ...).";
            return headers;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            problem = "The file could not be read as CSV: " + ex.Message;
            return [];
        }
    }

    /// <summary>Missing required fields in a mapping, as a sentence, or null.</summary>
    public static string? MappingProblem(Dictionary<string, string> mapping, IReadOnlyList<string> headers)
    {
        var missing = ImportFields.All.Where(f => f.Required && !(mapping.TryGetValue(f.Field, out var h) && headers.Contains(h))).Select(f => f.Label).ToList();
        return missing.Count == 0 ? null : $"Choose the column for: {string.Join(", ", missing)}.";
    }

    /// <summary>Every row, valid or refused, in file order. Stops with a file error when the CSV itself is broken.</summary>
    public static (List<ImportRow> Rows, List<ImportRejection> Rejected, string? Problem) Rows(string text, Dictionary<string, string> mapping,
        DeviceCatalogue catalogue, int maxRows)
    {
        var rows = new List<ImportRow>();
        var rejected = new List<ImportRejection>();
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        try
        {
            using var reader = Reader(text);
            int Index(string field) => mapping.TryGetValue(field, out var h) ? reader.Header.ColNames.Select(n => n.Trim()).ToList().IndexOf(h) : -1;
            var (imeiAt, makerAt, modelAt, userAt, osAt, serialAt, nameAt) = (Index(ImportFields.Imei), Index(ImportFields.Manufacturer),
                Index(ImportFields.Model), Index(ImportFields.PrimaryUser), Index(ImportFields.OsVersion), Index(ImportFields.SerialNumber), Index(ImportFields.DeviceName));
            var count = 0;
            foreach (var row in reader)
            {
                if (row.Span.Trim().Length == 0)
                    continue;
                if (++count > maxRows)
                    return (rows, rejected, $"The file has more than {maxRows:N0} rows. Split it into smaller files.");
                var line = row.LineNumberFrom;
                var (rawImei, maker, model, user, os, serial, name) = (Cell(row, imeiAt), Cell(row, makerAt), Cell(row, modelAt), Cell(row, userAt),
                    Cell(row, osAt), Cell(row, serialAt), Cell(row, nameAt));
                var imei = Imeis.Normalise(rawImei, out var imeiProblem);
                var masked = imei is null ? null : Imeis.Mask(imei);
                string? reason = imeiProblem is not null ? "IMEI: " + imeiProblem
                    : maker.Length == 0 ? "The manufacturer is empty."
                    : model.Length == 0 ? "The model is empty."
                    : user.Length == 0 ? "The primary user is empty."
                    : maker.Length > 200 || model.Length > 200 || name.Length > 200 ? "A name is longer than 200 characters."
                    : os.Length > 100 || serial.Length > 100 || user.Length > 256 ? "A cell is longer than allowed (version and serial 100, user 256 characters)."
                    : new[] { maker, model, user, os, serial, name }.Any(LooksLikeFormula) ? "A cell begins like a spreadsheet formula (=, +, -, @); check the export."
                    : seen.TryGetValue(imei!, out var first) ? $"The same IMEI is on line {first}."
                    : null;
                if (reason is not null)
                {
                    rejected.Add(new ImportRejection(line, reason, masked));
                    continue;
                }
                seen[imei!] = line;
                rows.Add(new ImportRow(line, imei!, catalogue.Describe(maker, model, Imeis.Tac(imei!), os.Length == 0 ? null : os,
                    name.Length == 0 ? null : name, serial.Length == 0 ? null : serial), user));
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return (rows, rejected, "The file could not be read as CSV: " + ex.Message);
        }
        return (rows, rejected, null);
    }

    private static string Cell(SepReader.Row row, int at) => at >= 0 && at < row.ColCount ? row[at].ToString().Trim() : "";

    private static bool LooksLikeFormula(string cell) => cell.Length > 0 && cell[0] is '=' or '+' or '-' or '@';

    private static SepReader Reader(string text) =>
        Sep.Reader(o => o with { Unescape = true, DisableColCountCheck = true }).FromText(text);
}
