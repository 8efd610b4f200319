namespace Portal.Web.Domain;

public sealed class VendorOrganisation
{
    private VendorOrganisation() { }

    public Guid Id { get; private set; }
    public string Name { get; private set; } = "";
    public string? ContactEmail { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }

    public static VendorOrganisation Create(string name, string? contactEmail, DateTimeOffset now) => new()
    {
        Id = Guid.CreateVersion7(),
        Name = name.Trim(),
        ContactEmail = string.IsNullOrWhiteSpace(contactEmail) ? null : contactEmail.Trim(),
        CreatedAt = now,
    };
}
