namespace Portal.Web.Domain;

public enum UnitKind { Command, Wing, Squadron, Flight, Section }

/// <summary>
/// A node of the organisation tree. <see cref="Path"/> is the materialised path of ids
/// ("/root/.../self/") so a whole subtree is one indexed prefix match.
/// </summary>
public sealed class Unit
{
    private Unit() { }

    public Guid Id { get; private set; }
    public string Name { get; private set; } = "";
    public string Code { get; private set; } = "";
    public UnitKind Kind { get; private set; }
    public Guid? ParentId { get; private set; }
    public Unit? Parent { get; private set; }
    public string Path { get; private set; } = "";
    public int Depth { get; private set; }

    public static Unit Create(string name, string code, UnitKind kind, Unit? parent)
    {
        var id = Guid.CreateVersion7();
        return new Unit
        {
            Id = id,
            Name = name.Trim(),
            Code = code.Trim().ToUpperInvariant(),
            Kind = kind,
            ParentId = parent?.Id,
            Path = (parent?.Path ?? "/") + id.ToString("N") + "/",
            Depth = parent is null ? 0 : parent.Depth + 1,
        };
    }

    public void Rename(string name, string code, UnitKind kind)
    {
        Name = name.Trim();
        Code = code.Trim().ToUpperInvariant();
        Kind = kind;
    }

    public bool IsAncestorOf(Unit other) => other.Path.StartsWith(Path, StringComparison.Ordinal) && other.Id != Id;
}
