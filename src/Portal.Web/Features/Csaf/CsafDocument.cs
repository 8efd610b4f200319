using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Portal.Web.Domain;
using Portal.Web.Features.Circulars;

namespace Portal.Web.Features.Csaf;

/// <summary>A revision as the revision history lists it.</summary>
public sealed record RevisionEntry(int Number, DateTimeOffset PublishedAt, RevisionKind Kind, string ChangeSummary);

/// <summary>The circular that replaced this one, named only when the reader may see it.</summary>
public sealed record Replacement(string ReferenceNumber, string Title, string CsafUrl);

/// <summary>Everything a CSAF document of one revision says; loaded by <see cref="CsafSubjects"/>.</summary>
public sealed record CsafSubject(
    Guid CircularId,
    CircularRevision Revision,
    IReadOnlyList<RevisionEntry> History,
    bool IsCurrent,
    CircularStatus Status,
    string? ClosingReason,
    DateTimeOffset? ClosedAt,
    Replacement? SupersededBy,
    string SelfUrl)
{
    /// <summary>Where the lab saw the devices send data, from the evidence this revision cites.</summary>
    public IReadOnlyList<Evidence.Destination> Destinations { get; init; } = [];

    /// <summary>What the vendor cases said when this revision was published (docs/decisions/0045).</summary>
    public IReadOnlyList<CaseRecordData> Cases { get; init; } = [];
}

/// <summary>
/// Turns a published revision into a CSAF 2.0 security advisory (csaf_security_advisory profile). Only
/// what every reader of the revision sees goes in: the sections, rules and sources; never the internal
/// notes. The mapping and its reasons are in docs/decisions/0010-csaf-provider-and-feeds.md.
/// </summary>
public static class CsafDocument
{
    public static JsonObject Build(CsafSubject subject, CsafOptions options, CsafUrls urls)
    {
        var revision = subject.Revision;
        var history = subject.History.Where(h => h.Number <= revision.Number).OrderBy(h => h.Number).ToList();
        if (history.Count == 0 || history[^1].Number != revision.Number)
            throw new InvalidOperationException($"The revision history of {revision.ReferenceNumber} does not reach revision {revision.Number}.");
        var closed = subject.IsCurrent && subject.ClosedAt is not null;
        var products = ProductCatalogue.Of(revision.Rules, subject.Cases);

        var document = new JsonObject
        {
            ["category"] = "csaf_security_advisory",
            ["csaf_version"] = "2.0",
            ["publisher"] = Publisher(options, urls),
            ["title"] = revision.Text.Title,
            ["lang"] = "en",
            ["distribution"] = new JsonObject
            {
                ["text"] = DistributionText(revision.Text.Tlp),
                ["tlp"] = new JsonObject { ["label"] = CsafNames.TlpV1(revision.Text.Tlp), ["url"] = "https://www.first.org/tlp/" },
            },
            ["aggregate_severity"] = new JsonObject { ["text"] = revision.Text.Severity.ToString() },
            ["tracking"] = new JsonObject
            {
                ["id"] = revision.ReferenceNumber,
                ["status"] = "final",
                ["version"] = Number(revision.Number),
                ["initial_release_date"] = CsafNames.Date(history[0].PublishedAt),
                ["current_release_date"] = CsafNames.Date(closed
                    ? CsafNames.CurrentRelease(revision.PublishedAt, subject.ClosedAt)
                    : revision.PublishedAt),
                ["revision_history"] = new JsonArray([.. history.Select(h => (JsonNode)new JsonObject
                {
                    ["number"] = Number(h.Number),
                    ["date"] = CsafNames.Date(h.PublishedAt),
                    ["summary"] = RevisionSummary(h),
                })]),
                ["generator"] = new JsonObject { ["engine"] = new JsonObject { ["name"] = "Advisory Portal" } },
            },
            ["notes"] = Notes(subject, closed),
            ["references"] = References(subject, urls, closed),
        };

        return new JsonObject
        {
            ["document"] = document,
            ["product_tree"] = new JsonObject { ["branches"] = products.Branches() },
            ["vulnerabilities"] = new JsonArray(Vulnerability(revision, products, subject.Cases)),
        };
    }

    /// <summary>The publisher, the same in every document and in provider-metadata.json, as CSAF requires.</summary>
    internal static JsonObject Publisher(CsafOptions options, CsafUrls urls)
    {
        var publisher = new JsonObject
        {
            ["category"] = options.PublisherCategory,
            ["name"] = options.PublisherName.Trim(),
            ["namespace"] = urls.BaseUrl,
        };
        if (!string.IsNullOrWhiteSpace(options.ContactDetails))
            publisher["contact_details"] = options.ContactDetails.Trim();
        if (!string.IsNullOrWhiteSpace(options.IssuingAuthority))
            publisher["issuing_authority"] = options.IssuingAuthority.Trim();
        return publisher;
    }

    private static string DistributionText(TlpLabel tlp)
    {
        var text = $"{tlp.Display()} (TLP 2.0). CSAF 2.0 carries TLP 1.0 labels, so this document is labelled TLP:{CsafNames.TlpV1(tlp)}.";
        return tlp switch
        {
            TlpLabel.AmberStrict => text + " Share it only within the recipient's own organisation, not with its clients.",
            TlpLabel.Clear => text + " It may be shared without restriction.",
            _ => text,
        };
    }

    private static string Number(int number) => number.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static string RevisionSummary(RevisionEntry entry)
    {
        var summary = string.IsNullOrWhiteSpace(entry.ChangeSummary) ? $"Revision {entry.Number}." : entry.ChangeSummary.Trim();
        return entry.Kind switch
        {
            RevisionKind.Minor => "Minor amendment: " + summary,
            RevisionKind.Material => "Material amendment: " + summary,
            _ => summary,
        };
    }

    private static JsonArray Notes(CsafSubject subject, bool closed)
    {
        var r = subject.Revision;
        var notes = new JsonArray();
        if (closed && subject.Status == CircularStatus.Withdrawn)
            Add(notes, "general", "Withdrawn",
                $"This circular was withdrawn on {Day(subject.ClosedAt)}; its instructions no longer apply. Reason: {subject.ClosingReason}");
        if (closed && subject.Status == CircularStatus.Superseded)
            Add(notes, "general", "Superseded", subject.SupersededBy is { } next
                ? $"This circular was superseded on {Day(subject.ClosedAt)} by {next.ReferenceNumber} ({next.Title}); follow that circular instead. Reason: {subject.ClosingReason}"
                : $"This circular was superseded on {Day(subject.ClosedAt)} by a later circular. Reason: {subject.ClosingReason}");
        Add(notes, "summary", "Summary", r.Text.Summary);
        Add(notes, "description", "Background", r.Text.Background);
        Add(notes, "details", "Risk assessment", r.Text.RiskAssessment);
        Add(notes, "general", "Impact", r.Text.Impact);
        Add(notes, "general", "Required actions", r.Text.RequiredActions);
        Add(notes, "details", "Devices covered", string.Join("\n", r.Rules.Select(rule => "- " + RuleWords.Of(rule).DescribeInFull())));
        var unlinked = r.Sources.Where(s => SourceUrl(s) is null).Select(s => "- " + SourceText(s)).ToList();
        Add(notes, "other", "References", string.Join("\n\n", new[] { r.Text.References, string.Join("\n", unlinked) }.Where(t => !string.IsNullOrWhiteSpace(t))));
        AddFindings(notes, subject.Destinations);
        AddTranslation(notes, r.Text);
        foreach (var vendor in subject.Cases)
            foreach (var statement in vendor.Statements)
                Add(notes, "general", $"Statement by {vendor.Vendor} ({Day(statement.PostedAt)})", statement.Text);
        return notes;
    }

    /// <summary>
    /// CSAF 2.0 has no field for where data goes, so the lab's findings travel as two notes: one for people,
    /// and one whose text is CSV with a fixed header (the portal's destinations.csv), for machines.
    /// </summary>
    private static void AddFindings(JsonArray notes, IReadOnlyList<Evidence.Destination> destinations)
    {
        if (destinations.Count == 0)
            return;
        Add(notes, "details", "Findings: data sent and where", string.Join("\n", destinations.Select(d =>
            $"- {string.Join(", ", d.Categories.Select(Evidence.DataCategories.Display))} sent to {d.Host ?? d.IpAddress}"
            + (d.Host is not null && d.IpAddress is not null ? $" ({d.IpAddress})" : "")
            + $" in {d.Country}{(d.SentUnencrypted ? ", unencrypted" : "")}; {string.Join(", ", d.Labs)}, tested {d.LastTested:yyyy-MM-dd}")));
        Add(notes, "other", "Destinations (CSV)",
            Infrastructure.Csv.Csv.Row(Evidence.Destinations.CsvHeader) + string.Concat(Evidence.Destinations.CsvRows(new(Guid.Empty, null, "", destinations)).Select(Infrastructure.Csv.Csv.Row)));
    }

    /// <summary>
    /// The officer's Hindi version. CSAF 2.0 gives a document one language (<c>document.lang</c>, English here) and has no
    /// language on a note, so each translated part is a note whose title names the language and the part it translates;
    /// a full Hindi copy of the document (<c>lang</c> "hi", <c>source_lang</c> "en") would need every section translated.
    /// The family summary is for families, not for CSAF readers, in either language.
    /// </summary>
    private static void AddTranslation(JsonArray notes, CircularText text)
    {
        Add(notes, "general", "Title in Hindi (hi)", text.HindiTitle);
        Add(notes, "general", "Required actions in Hindi (hi)", text.HindiRequiredActions);
    }

    private static string Day(DateTimeOffset? value) => CsafNames.Date(value!.Value)[..10];

    private static void Add(JsonArray notes, string category, string title, string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return;
        notes.Add(new JsonObject { ["category"] = category, ["title"] = title, ["text"] = text.Trim() });
    }

    private static JsonArray References(CsafSubject subject, CsafUrls urls, bool closed)
    {
        var references = new JsonArray
        {
            Reference("self", $"This CSAF document ({subject.Revision.ReferenceNumber}, revision {subject.Revision.Number})", subject.SelfUrl),
            Reference("self", $"Circular {subject.Revision.ReferenceNumber} on the Advisory Portal", urls.Circular(subject.CircularId)),
        };
        if (closed && subject.SupersededBy is { } next)
            references.Add(Reference("external", $"Superseded by {next.ReferenceNumber}: {next.Title}", next.CsafUrl));
        foreach (var source in subject.Revision.Sources)
        {
            if (SourceUrl(source) is { } url)
                references.Add(Reference("external", SourceText(source), url));
        }
        return references;
    }

    private static JsonObject Reference(string category, string summary, string url) =>
        new() { ["category"] = category, ["summary"] = summary, ["url"] = url };

    private static string SourceText(SourceSnapshot source)
    {
        var kind = source.Kind switch
        {
            SourceKind.CertAdvisory => "CERT advisory",
            SourceKind.LabReport => "Lab report",
            SourceKind.VendorStatement => "Vendor statement",
            SourceKind.NewsReport => "News report",
            _ => "Reference",
        };
        return source.Title is { Length: > 0 } title ? $"{kind} {source.Identifier}: {title}" : $"{kind} {source.Identifier}";
    }

    /// <summary>CSAF references need an absolute URI; a source typed without one is listed in the References note instead.</summary>
    private static string? SourceUrl(SourceSnapshot source) =>
        Uri.TryCreate(source.Url?.Trim(), UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? new UriBuilder(uri) { Host = uri.IdnHost }.Uri.AbsoluteUri
            : null;

    private static JsonObject Vulnerability(CircularRevision revision, ProductCatalogue products, IReadOnlyList<CaseRecordData> cases)
    {
        var notes = new JsonArray();
        Add(notes, "summary", "Summary", revision.Text.Summary);
        Add(notes, "description", "Risk assessment", revision.Text.RiskAssessment);
        var vulnerability = new JsonObject
        {
            ["title"] = revision.Text.Title,
            ["notes"] = notes,
            ["product_status"] = products.Status(),
        };
        if (Remediations(revision, products, cases) is { Count: > 0 } remediations)
            vulnerability["remediations"] = remediations;
        if (cases.Count > 0)
            vulnerability["involvements"] = new JsonArray([.. cases.Select(c => (JsonNode)Involvement(c, products))]);
        if (!string.IsNullOrWhiteSpace(revision.Text.Impact))
            vulnerability["threats"] = new JsonArray(new JsonObject { ["category"] = "impact", ["details"] = revision.Text.Impact.Trim() });
        return vulnerability;
    }

    /// <summary>
    /// A ban removes the device from use, which avoids exposure altogether (a workaround in CSAF's words);
    /// a restriction keeps it out of official use, which only lowers the risk (a mitigation). Monitored
    /// devices need nothing yet. A rule limited to firmware below a version names that version as the fix.
    /// </summary>
    private static JsonArray Remediations(CircularRevision revision, ProductCatalogue products, IReadOnlyList<CaseRecordData> cases)
    {
        // Rules with the same advice share one remediation naming all their products.
        var advice = new List<(string Category, string Details, List<string> ProductIds)>();
        void Advise(string category, string details, IEnumerable<string> ids)
        {
            var index = advice.FindIndex(a => a.Category == category && a.Details == details);
            if (index < 0)
                advice.Add((category, details, [.. ids]));
            else
                advice[index].ProductIds.AddRange(ids.Except(advice[index].ProductIds));
        }

        foreach (var rule in revision.Rules)
        {
            var ids = products.IdsOf(rule);
            var note = rule.Note is { Length: > 0 } n ? " " + n : "";
            if (rule.Action == RuleAction.Banned)
                Advise("workaround", $"Banned by circular {revision.ReferenceNumber}: do not use these devices, for official or personal purposes; follow the required actions.{note}", ids);
            if (rule.Action == RuleAction.Restricted)
                Advise("mitigation", $"Restricted by circular {revision.ReferenceNumber}: not for official use (no official accounts, data or conversations on these devices); follow the required actions.{note}", ids);
            if (rule.FirmwareBelow is { } firmware && rule.Action != RuleAction.Monitor)
                Advise("vendor_fix", $"Update the firmware to {firmware} or later: devices on {firmware} or later are not covered by this rule.", ids);
        }
        var remediations = new JsonArray([.. advice.Select(a => (JsonNode)Remediation(a.Category, a.Details, a.ProductIds))]);
        foreach (var vendor in cases)
        {
            foreach (var claim in vendor.Claims)
                if (CaseRemediation(vendor.Vendor, claim, products) is { } remediation)
                    remediations.Add(remediation);
            foreach (var model in vendor.Models.Where(m => m.Status == ModelStatus.NoFixPlanned))
                if (products.AffectedIdsOf(model.DeviceModelId) is { Count: > 0 } ids)
                    remediations.Add(Remediation("no_fix_planned", $"{vendor.Vendor} says no fix is planned for {model.Name}.", ids));
        }
        return remediations;
    }

    /// <summary>
    /// A vendor's accepted or verified claim: a firmware update is a vendor_fix (with its link and release date), a data
    /// relocation, service change or app change a mitigation, for the products of the claimed model in this revision.
    /// </summary>
    private static JsonObject? CaseRemediation(string vendor, CaseRecordData.Claim claim, ProductCatalogue products)
    {
        var ids = products.AffectedIdsOf(claim.DeviceModelId);
        if (ids.Count == 0)
            return null;
        var state = claim.Status == ClaimStatus.Verified ? "The lab's re-test confirmed it." : "Accepted by the security unit; the lab's re-test is pending.";
        var description = claim.Description.Length > 0 ? " " + claim.Description : "";
        var details = claim.Kind switch
        {
            RemediationKind.FirmwareUpdate when claim.FirmwareVersion is { } version => $"{vendor} released firmware {version}.{description} {state}",
            RemediationKind.DataRelocation => $"{vendor} relocates the data from {claim.RelocatedFrom ?? "?"} to {claim.RelocatedTo ?? "?"}"
                + (claim.CompletedOn is { } done ? $", completed {done:yyyy-MM-dd}" : "") + $".{description} {state}",
            RemediationKind.ServiceChange => $"{vendor} changed its service.{description} {state}",
            RemediationKind.AppOrPermissionChange => $"{vendor} changed an app or its permissions.{description} {state}",
            _ => null,
        };
        if (details is null)
            return null;
        var remediation = Remediation(claim.Kind == RemediationKind.FirmwareUpdate ? "vendor_fix" : "mitigation", details, ids);
        if (claim.Kind == RemediationKind.FirmwareUpdate && claim.ReleasedOn is { } released)
            remediation["date"] = CsafNames.Date(new DateTimeOffset(released.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero));
        if (Uri.TryCreate(claim.Link?.Trim(), UriKind.Absolute, out var link) && link.Scheme is "http" or "https")
            remediation["url"] = new UriBuilder(link) { Host = link.IdnHost }.Uri.AbsoluteUri;
        return remediation;
    }

    /// <summary>
    /// A vendor's part: disputed when it says a model is not affected that this revision bans or restricts (the lab found
    /// otherwise); contact_attempted when it never answered; completed when every model is fixed and verified, not
    /// affected, or affected with no fix planned (the vendor's last word); in_progress otherwise.
    /// </summary>
    private static JsonObject Involvement(CaseRecordData vendor, ProductCatalogue products)
    {
        var models = vendor.Models.Where(m => products.Names(m.DeviceModelId)).ToList();
        var disputed = models.Any(m => m.Status == ModelStatus.NotAffected && products.AffectedIdsOf(m.DeviceModelId).Count > 0);
        var status = disputed ? "disputed"
            : !vendor.Answered ? "contact_attempted"
            : models.Count > 0 && models.All(m => m.Status is ModelStatus.FixVerified or ModelStatus.NotAffected or ModelStatus.NoFixPlanned) ? "completed"
            : "in_progress";
        var summary = models.Count == 0 ? $"{vendor.Vendor}." : $"{vendor.Vendor}: " + string.Join("; ", models.Select(m => $"{m.Name} {ModelWords(m.Status)}"))
            + (disputed ? ". The vendor says a model is not affected; the security unit's lab found otherwise." : ".");
        var involvement = new JsonObject { ["party"] = "vendor", ["status"] = status, ["summary"] = summary };
        // When the unit reached out (the case's opening) for a vendor that never answered; else the case's latest event.
        if ((status == "contact_attempted" ? vendor.OpenedAt : vendor.LastEventAt ?? vendor.OpenedAt) is { } date)
            involvement["date"] = CsafNames.Date(date);
        return involvement;
    }

    private static string ModelWords(ModelStatus status) => status switch
    {
        ModelStatus.Affected => "affected",
        ModelStatus.NotAffected => "not affected, in the vendor's words",
        ModelStatus.FixClaimed => "fix claimed",
        ModelStatus.FixVerified => "fix verified",
        ModelStatus.NoFixPlanned => "affected, no fix planned",
        _ => "not yet answered",
    };

    private static JsonObject Remediation(string category, string details, IEnumerable<string> productIds) => new()
    {
        ["category"] = category,
        ["details"] = details,
        ["product_ids"] = new JsonArray([.. productIds.Select(id => (JsonNode)id)]),
    };

    /// <summary>
    /// The product tree: manufacturer (vendor) > model (product_name) > firmware range
    /// (product_version_range, vers syntax) when a rule is limited to firmware below a version. A rule
    /// that matched no catalogue model still names what it covers, so no rule is left without a product.
    /// </summary>
    private sealed class ProductCatalogue
    {
        private sealed record Product(string Id, Guid ManufacturerId, string Manufacturer, string ModelKey, string ModelName,
            string[] ModelNumbers, string? FirmwareBelow, RuleAction Action, string? FixedFrom = null);

        private readonly List<Product> _products = [];
        private readonly Dictionary<RuleSnapshot, List<string>> _byRule = new(ReferenceEqualityComparer.Instance);
        private readonly Dictionary<string, ModelStatus> _caseStatus = [];

        public static ProductCatalogue Of(IEnumerable<RuleSnapshot> rules, IReadOnlyList<CaseRecordData> cases)
        {
            var catalogue = new ProductCatalogue();
            foreach (var rule in rules)
                catalogue.AddRule(rule);
            foreach (var vendor in cases)
                foreach (var model in vendor.Models)
                    catalogue.AddCaseModel(model, vendor.Claims);
            return catalogue;
        }

        /// <summary>
        /// The vendor case's word on a model of this revision; a verified fix adds the fixed firmware as a product of
        /// its own ("firmware X or later"), which is fixed and first_fixed.
        /// </summary>
        private void AddCaseModel(CaseRecordData.Model model, IReadOnlyList<CaseRecordData.Claim> claims)
        {
            var key = model.DeviceModelId.ToString();
            var template = _products.FirstOrDefault(p => p.ModelKey == key);
            if (template is null)
                return;
            _caseStatus[key] = model.Status;
            if (model.Status != ModelStatus.FixVerified)
                return;
            var fix = claims.LastOrDefault(c => c.DeviceModelId == model.DeviceModelId && c.Status == ClaimStatus.Verified
                && c.Kind == RemediationKind.FirmwareUpdate && c.FirmwareVersion is not null);
            if (fix?.FirmwareVersion is not { } version)
                return;
            var id = ProductId(key, ">=" + version);
            if (_products.All(p => p.Id != id))
                _products.Add(template with { Id = id, FirmwareBelow = null, FixedFrom = version });
        }

        public bool Names(Guid deviceModelId) => _products.Any(p => p.ModelKey == deviceModelId.ToString());

        /// <summary>The products of a model this document lists as known_affected.</summary>
        public IReadOnlyList<string> AffectedIdsOf(Guid deviceModelId) =>
            Ordered().Where(p => p.ModelKey == deviceModelId.ToString() && StatusOf(p) == "known_affected").Select(p => p.Id).ToList();

        /// <summary>
        /// The circular's own finding first: a banned or restricted model is known_affected whatever the vendor says (a
        /// vendor's "not affected" is then a dispute, see the involvements); a monitored one takes the vendor's word, and
        /// stays under investigation while the vendor has not answered. A verified fix's own product is fixed.
        /// </summary>
        private string StatusOf(Product p)
        {
            if (p.FixedFrom is not null)
                return "fixed";
            var affected = p.Action != RuleAction.Monitor;
            return _caseStatus.GetValueOrDefault(p.ModelKey, ModelStatus.Unknown) switch
            {
                ModelStatus.Affected or ModelStatus.FixClaimed or ModelStatus.NoFixPlanned => "known_affected",
                ModelStatus.NotAffected when !affected => "known_not_affected",
                _ => affected ? "known_affected" : "under_investigation",
            };
        }

        private void AddRule(RuleSnapshot rule)
        {
            var targets = rule.Models.Count > 0
                ? rule.Models.Select(m => (Key: m.Id.ToString(), Name: m.MarketingName, Numbers: m.ModelNumbers))
                : [(Key: $"{rule.ManufacturerId}|{rule.ModelPattern}|{string.Join(",", rule.TacPrefixes)}", Name: Unmatched(rule), Numbers: Array.Empty<string>())];
            var ids = new List<string>();
            foreach (var (key, name, numbers) in targets)
            {
                var id = ProductId(key, rule.FirmwareBelow);
                var existing = _products.FindIndex(p => p.Id == id);
                if (existing < 0)
                    _products.Add(new Product(id, rule.ManufacturerId, rule.ManufacturerName, key, name, numbers, rule.FirmwareBelow, rule.Action));
                else if (rule.Action < _products[existing].Action)
                    _products[existing] = _products[existing] with { Action = rule.Action };
                if (!ids.Contains(id)) ids.Add(id);
            }
            _byRule[rule] = ids;
        }

        private static string Unmatched(RuleSnapshot rule) =>
            rule.ModelPattern is { } pattern ? $"Models matching \"{pattern}\""
            : rule.TacPrefixes.Length > 0 ? $"Devices with TAC prefix {string.Join(", ", rule.TacPrefixes)}"
            : "All models";

        /// <summary>Stable across revisions and documents: a short hash of the model and the firmware range.</summary>
        private static string ProductId(string modelKey, string? firmwareBelow) =>
            "CSAFPID-" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes($"{modelKey}|{firmwareBelow ?? "*"}")))[..12];

        public IReadOnlyList<string> IdsOf(RuleSnapshot rule) => _byRule[rule];

        /// <summary>One status per product (CSAF forbids contradicting ones): the strongest action of the rules naming it.</summary>
        public JsonObject Status()
        {
            var status = new JsonObject();
            JsonNode[] Ids(string category) => Ordered().Where(p => StatusOf(p) == category).Select(p => (JsonNode)p.Id).ToArray();
            var fixedIds = Ids("fixed");
            if (fixedIds.Length > 0) status["first_fixed"] = new JsonArray(fixedIds);
            foreach (var category in new[] { "fixed", "known_affected", "known_not_affected", "under_investigation" })
                if (Ids(category) is { Length: > 0 } ids) status[category] = new JsonArray(ids);
            return status;
        }

        public JsonArray Branches() => new([.. Ordered()
            .GroupBy(p => p.ManufacturerId)
            .Select(vendor => (JsonNode)new JsonObject
            {
                ["category"] = "vendor",
                ["name"] = vendor.First().Manufacturer,
                ["branches"] = new JsonArray([.. vendor.GroupBy(p => p.ModelKey).Select(Model)]),
            })]);

        private IEnumerable<Product> Ordered() => _products
            .OrderBy(p => p.Manufacturer, StringComparer.OrdinalIgnoreCase).ThenBy(p => p.ManufacturerId)
            .ThenBy(p => p.ModelName, StringComparer.OrdinalIgnoreCase).ThenBy(p => p.ModelKey, StringComparer.Ordinal)
            .ThenBy(p => p.FirmwareBelow is null ? 0 : 1).ThenBy(p => p.FirmwareBelow, StringComparer.Ordinal)
            .ThenBy(p => p.FixedFrom is null ? 0 : 1).ThenBy(p => p.FixedFrom, StringComparer.Ordinal);

        private static JsonNode Model(IGrouping<string, Product> model)
        {
            var first = model.First();
            var branch = new JsonObject { ["category"] = "product_name", ["name"] = first.ModelName };
            if (model.Count() == 1 && first.FirmwareBelow is null && first.FixedFrom is null)
                branch["product"] = FullProductName(first);
            else
                branch["branches"] = new JsonArray([.. model.Select(p => (JsonNode)new JsonObject
                {
                    ["category"] = "product_version_range",
                    ["name"] = p.FixedFrom is { } from ? "vers:generic/>=" + Uri.EscapeDataString(from) : Vers(p.FirmwareBelow),
                    ["product"] = FullProductName(p),
                })]);
            return branch;
        }

        /// <summary>The vers notation (github.com/package-url/purl-spec, VERSION-RANGE-SPEC) CSAF recommends for ranges.</summary>
        private static string Vers(string? firmwareBelow) =>
            firmwareBelow is null ? "vers:generic/*" : "vers:generic/<" + Uri.EscapeDataString(firmwareBelow);

        private static JsonObject FullProductName(Product p)
        {
            var name = p.ModelName.StartsWith(p.Manufacturer, StringComparison.OrdinalIgnoreCase) ? p.ModelName : $"{p.Manufacturer} {p.ModelName}";
            var product = new JsonObject
            {
                ["name"] = p.FixedFrom is { } from ? $"{name} with firmware {from} or later"
                    : p.FirmwareBelow is { } firmware ? $"{name} with firmware below {firmware}" : name,
                ["product_id"] = p.Id,
            };
            var numbers = Catalogue.Distinct(p.ModelNumbers);
            if (numbers.Length > 0)
                product["product_identification_helper"] = new JsonObject
                {
                    ["model_numbers"] = new JsonArray([.. numbers.Select(n => (JsonNode)n)]),
                };
            return product;
        }
    }
}
