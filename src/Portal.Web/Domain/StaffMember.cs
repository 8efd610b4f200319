namespace Portal.Web.Domain;

public sealed class StaffMember
{
    private StaffMember() { }

    public Guid Id { get; private set; }
    public string ServiceNumber { get; private set; } = "";
    public string FullName { get; private set; } = "";
    public string? Email { get; private set; }
    public string? MobileNumber { get; private set; }
    public Guid UnitId { get; private set; }
    public Unit? Unit { get; private set; }
    public Guid? UserId { get; private set; }
    public List<Dependent> Dependents { get; private set; } = [];

    public static StaffMember Create(string serviceNumber, string fullName, string? email, string? mobile, Guid unitId, Guid? userId) => new()
    {
        Id = Guid.CreateVersion7(),
        ServiceNumber = serviceNumber.Trim().ToUpperInvariant(),
        FullName = fullName.Trim(),
        Email = email,
        MobileNumber = mobile,
        UnitId = unitId,
        UserId = userId,
    };

    public Dependent AddDependent(string fullName, string relationship, string? email, string? mobile, string language, bool consent)
    {
        var dependent = Dependent.Create(Id, fullName, relationship, email, mobile, language, consent);
        Dependents.Add(dependent);
        return dependent;
    }
}

public sealed class Dependent
{
    private Dependent() { }

    public Guid Id { get; private set; }
    public Guid StaffMemberId { get; private set; }
    public string FullName { get; private set; } = "";
    public string Relationship { get; private set; } = "";
    public string? Email { get; private set; }
    public string? MobileNumber { get; private set; }
    public string PreferredLanguage { get; private set; } = "en";
    public bool ConsentToContact { get; private set; }

    public void Change(string fullName, string relationship, string? email, string? mobile, string language, bool consent)
    {
        FullName = fullName.Trim();
        Relationship = relationship.Trim();
        Email = email;
        MobileNumber = mobile;
        PreferredLanguage = language;
        ConsentToContact = consent;
    }

    internal static Dependent Create(Guid staffMemberId, string fullName, string relationship, string? email, string? mobile, string language, bool consent) => new()
    {
        Id = Guid.CreateVersion7(),
        StaffMemberId = staffMemberId,
        FullName = fullName.Trim(),
        Relationship = relationship.Trim(),
        Email = email,
        MobileNumber = mobile,
        PreferredLanguage = language,
        ConsentToContact = consent,
    };
}
