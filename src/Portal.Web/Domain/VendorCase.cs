namespace Portal.Web.Domain;

/// <summary>Where a named model stands, as the vendor and the officers establish it.</summary>
/// <remarks>NoFixPlanned: the vendor says the model is affected and no fix is planned (CSAF no_fix_planned).</remarks>
public enum ModelStatus { Unknown, Affected, NotAffected, FixClaimed, FixVerified, NoFixPlanned }

/// <summary>
/// One per circular and vendor organisation: opened when a revision is published whose rules name a
/// manufacturer of that vendor, with a status for each model the rules cover and a response deadline.
/// </summary>
public sealed class VendorCase
{
    private readonly List<CaseModel> _models = [];

    private VendorCase() { }

    public Guid Id { get; private set; }
    public Guid CircularId { get; private set; }
    public Guid VendorOrganisationId { get; private set; }
    public int OpenedAtRevision { get; private set; }
    public DateTimeOffset OpenedAt { get; private set; }
    public DateOnly ResponseDueOn { get; private set; }
    /// <summary>The first time one of the vendor's users opened the case.</summary>
    public DateTimeOffset? FirstSeenAt { get; private set; }
    public Guid? FirstSeenById { get; private set; }

    public IReadOnlyList<CaseModel> Models => _models;

    public static VendorCase Open(Guid circularId, Guid vendorOrganisationId, int revision, IEnumerable<(Guid Id, string Name)> models,
        DateTimeOffset now, int responseDays)
    {
        var vendorCase = new VendorCase
        {
            Id = Guid.CreateVersion7(),
            CircularId = circularId,
            VendorOrganisationId = vendorOrganisationId,
            OpenedAtRevision = revision,
            OpenedAt = now,
            ResponseDueOn = DateOnly.FromDateTime(now.UtcDateTime).AddDays(responseDays),
        };
        vendorCase.Cover(models);
        return vendorCase;
    }

    /// <summary>Adds the models a later revision names that the case does not cover yet; returns how many.</summary>
    public int Cover(IEnumerable<(Guid Id, string Name)> models)
    {
        var added = 0;
        foreach (var (id, name) in models.DistinctBy(m => m.Id))
        {
            if (_models.Any(m => m.DeviceModelId == id))
                continue;
            _models.Add(CaseModel.Create(Id, id, name));
            added++;
        }
        return added;
    }

    /// <summary>The vendor says where a model stands. A verified fix is the officers' word, never the vendor's.</summary>
    public CaseModel SetStatusByVendor(Guid deviceModelId, ModelStatus status, DateTimeOffset now)
    {
        if (status == ModelStatus.FixVerified)
            throw new DomainException("Only the security officers mark a fix verified, after their lab has re-tested it.");
        var model = _models.FirstOrDefault(m => m.DeviceModelId == deviceModelId)
            ?? throw new DomainException("That model is not part of this case: choose one of the models the circular names.");
        if (model.Status == ModelStatus.FixVerified)
            throw new DomainException(new Sentence("The fix for {0} is already verified by the officers; its status no longer changes here.", model.MarketingName));
        model.Change(status, now);
        return model;
    }

    /// <summary>A second officer verified a claimed fix (see <see cref="RemediationClaim.Verify"/>): the model is FixVerified.</summary>
    public CaseModel MarkFixVerified(Guid deviceModelId, DateTimeOffset now)
    {
        var model = _models.FirstOrDefault(m => m.DeviceModelId == deviceModelId)
            ?? throw new DomainException("That model is not part of this case.");
        model.Change(ModelStatus.FixVerified, now);
        return model;
    }

    /// <summary>Records the first opening by a vendor user; true the first time.</summary>
    public bool Seen(Guid user, DateTimeOffset now)
    {
        if (FirstSeenAt is not null)
            return false;
        FirstSeenAt = now;
        FirstSeenById = user;
        return true;
    }
}

public sealed class CaseModel
{
    private CaseModel() { }

    public Guid Id { get; private set; }
    public Guid CaseId { get; private set; }
    public Guid DeviceModelId { get; private set; }
    /// <summary>As the revision that brought it named it.</summary>
    public string MarketingName { get; private set; } = "";
    public ModelStatus Status { get; private set; }

    internal void Change(ModelStatus status, DateTimeOffset now) => Status = status;

    internal static CaseModel Create(Guid caseId, Guid deviceModelId, string name) => new()
    {
        Id = Guid.CreateVersion7(),
        CaseId = caseId,
        DeviceModelId = deviceModelId,
        MarketingName = name,
        Status = ModelStatus.Unknown,
    };
}
