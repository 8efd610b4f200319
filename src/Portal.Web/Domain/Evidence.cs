namespace Portal.Web.Domain;

/// <summary>What kind of personal data a lab saw a device send.</summary>
public enum DataCategory { CarrierName, PhoneNumber, Imei, Contacts, Sms, CallLog, Location, Photos, Other }

/// <summary>
/// Lab evidence attached to a circular: files (held in the content-addressed store under their SHA-256)
/// and what the lab found. Once a published revision cites it (the database records the citation when the
/// revision is inserted, see migrations/0011_evidence.sql) it never changes again: it can only be marked
/// superseded, so what a revision rested on stays what it was.
/// </summary>
public sealed class EvidenceRecord
{
    private readonly List<EvidenceFile> _files = [];
    private readonly List<Finding> _findings = [];

    private EvidenceRecord() { }

    public Guid Id { get; private set; }
    public Guid CircularId { get; private set; }
    public string Title { get; private set; } = "";
    public string Lab { get; private set; } = "";
    public DateOnly TestedOn { get; private set; }
    public string DeviceTested { get; private set; } = "";
    public string? FirmwareTested { get; private set; }
    public string? Method { get; private set; }
    /// <summary>Vendor organisations an officer allowed to read this evidence; vendors see nothing else.</summary>
    public Guid[] SharedWithVendorIds { get; private set; } = [];
    public Guid RecordedById { get; private set; }
    public DateTimeOffset RecordedAt { get; private set; }
    /// <summary>The first published revision that cited this evidence; from then on it is immutable.</summary>
    public int? CitedFromRevision { get; private set; }
    public DateTimeOffset? SupersededAt { get; private set; }
    public Guid? SupersededById { get; private set; }
    public string? SupersededReason { get; private set; }
    public uint Version { get; private set; }

    public IReadOnlyList<EvidenceFile> Files => _files;
    public IReadOnlyList<Finding> Findings => _findings;

    public bool IsSuperseded => SupersededAt is not null;

    public static EvidenceRecord Record(Guid circularId, string title, string lab, DateOnly testedOn, string deviceTested,
        string? firmwareTested, string? method, Guid by, DateTimeOffset now) => new()
    {
        Id = Guid.CreateVersion7(),
        CircularId = circularId,
        Title = title.Trim(),
        Lab = lab.Trim(),
        TestedOn = testedOn,
        DeviceTested = deviceTested.Trim(),
        FirmwareTested = Blank(firmwareTested),
        Method = Blank(method),
        RecordedById = by,
        RecordedAt = now,
    };

    public EvidenceFile AttachFile(string fileName, string sha256, long length, string contentType, Guid by, DateTimeOffset now)
    {
        EnsureChangeable();
        if (_files.Any(f => f.Sha256 == sha256))
            throw new DomainException(new Sentence("This file is already attached (SHA-256 {0}…).", sha256[..16]));
        var file = EvidenceFile.Create(Id, fileName, sha256, length, contentType, by, now);
        _files.Add(file);
        return file;
    }

    public void RemoveFile(Guid fileId)
    {
        EnsureChangeable();
        _files.Remove(_files.FirstOrDefault(f => f.Id == fileId) ?? throw new DomainException("That file is no longer attached."));
    }

    public Finding AddFinding(DataCategory category, string? host, string? ipAddress, string country, string? protocol,
        bool encrypted, DateTimeOffset? observedAt)
    {
        EnsureChangeable();
        var finding = Finding.Create(Id, category, host, ipAddress, country, protocol, encrypted, observedAt);
        _findings.Add(finding);
        return finding;
    }

    public void RemoveFinding(Guid findingId)
    {
        EnsureChangeable();
        _findings.Remove(_findings.FirstOrDefault(f => f.Id == findingId) ?? throw new DomainException("That finding is no longer recorded."));
    }

    /// <summary>Who outside the organisation may read it: an access decision, not content, so it may change after citation.</summary>
    public void ShareWith(IEnumerable<Guid> vendorIds) => SharedWithVendorIds = vendorIds.Distinct().Order().ToArray();

    public void Supersede(string reason, Guid by, DateTimeOffset now)
    {
        if (IsSuperseded)
            throw new DomainException("This evidence is already marked superseded.");
        SupersededAt = now;
        SupersededById = by;
        SupersededReason = reason.Trim();
    }

    /// <summary>Why the evidence cannot change now, in words for the officer; null while it can.</summary>
    public Sentence? ChangeRefusal() =>
        CitedFromRevision is { } revision
            ? new Sentence("This evidence is cited by published revision {0} and cannot change: mark it superseded and record new evidence instead.", revision)
            : IsSuperseded ? new Sentence("This evidence is marked superseded and cannot change.") : null;

    private void EnsureChangeable()
    {
        if (ChangeRefusal() is { } refusal)
            throw new DomainException(refusal);
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}

/// <summary>One file of an evidence record. The bytes live in the store under <see cref="Sha256"/>; the name is the cleaned one the uploader gave.</summary>
public sealed class EvidenceFile
{
    private EvidenceFile() { }

    public Guid Id { get; private set; }
    public Guid EvidenceId { get; private set; }
    public string FileName { get; private set; } = "";
    public string Sha256 { get; private set; } = "";
    public long Length { get; private set; }
    public string ContentType { get; private set; } = "";
    public Guid UploadedById { get; private set; }
    public DateTimeOffset UploadedAt { get; private set; }

    internal static EvidenceFile Create(Guid evidenceId, string fileName, string sha256, long length, string contentType, Guid by, DateTimeOffset now) => new()
    {
        Id = Guid.CreateVersion7(),
        EvidenceId = evidenceId,
        FileName = fileName,
        Sha256 = sha256,
        Length = length,
        ContentType = contentType,
        UploadedById = by,
        UploadedAt = now,
    };
}

/// <summary>What the lab saw: a category of personal data, where it went (host and/or IP, country), how, and when.</summary>
public sealed class Finding
{
    private Finding() { }

    public Guid Id { get; private set; }
    public Guid EvidenceId { get; private set; }
    public DataCategory Category { get; private set; }
    public string? Host { get; private set; }
    public string? IpAddress { get; private set; }
    /// <summary>ISO 3166-1 alpha-2, upper case.</summary>
    public string Country { get; private set; } = "";
    public string? Protocol { get; private set; }
    public bool Encrypted { get; private set; }
    public DateTimeOffset? ObservedAt { get; private set; }

    internal static Finding Create(Guid evidenceId, DataCategory category, string? host, string? ipAddress, string country,
        string? protocol, bool encrypted, DateTimeOffset? observedAt)
    {
        host = string.IsNullOrWhiteSpace(host) ? null : host.Trim().TrimEnd('.').ToLowerInvariant();
        ipAddress = string.IsNullOrWhiteSpace(ipAddress) ? null : ipAddress.Trim();
        if (host is null && ipAddress is null)
            throw new DomainException("Give the destination's host name, its IP address, or both.");
        if (!Countries.IsIso3166(country))
            throw new DomainException(new Sentence("\"{0}\" is not an ISO 3166 country code: use two letters, such as CN or SG.", country));
        return new Finding
        {
            Id = Guid.CreateVersion7(),
            EvidenceId = evidenceId,
            Category = category,
            Host = host,
            IpAddress = ipAddress,
            Country = country.Trim().ToUpperInvariant(),
            Protocol = string.IsNullOrWhiteSpace(protocol) ? null : protocol.Trim(),
            Encrypted = encrypted,
            ObservedAt = observedAt,
        };
    }
}

/// <summary>A published revision cites the evidence its circular held (not superseded) when it was published. Rows are never changed.</summary>
public sealed class CitedEvidence
{
    private CitedEvidence() { }

    public Guid RevisionId { get; private set; }
    public Guid EvidenceId { get; private set; }
}

public static class Countries
{
    /// <summary>The officially assigned ISO 3166-1 alpha-2 codes.</summary>
    private static readonly HashSet<string> Codes = new(("AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ " +
        "CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY " +
        "HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ " +
        "NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ " +
        "TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW").Split(' '), StringComparer.Ordinal);

    public static bool IsIso3166(string? code) => code is not null && Codes.Contains(code.Trim().ToUpperInvariant());
}
