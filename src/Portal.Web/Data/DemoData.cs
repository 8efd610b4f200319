using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Portal.Web.Domain;
using Portal.Web.Features.Circulars;

namespace Portal.Web.Data;

/// <summary>
/// The demo organisation. Idempotent: it adds what is missing and never overwrites what exists,
/// so a second run keeps whatever users changed.
/// </summary>
public sealed partial class DemoData(PortalDbContext db, UserManager<PortalUser> users, RoleManager<PortalRole> roles, TimeProvider clock,
    Publication publication, Portal.Web.Features.ApiClients.ApiClientRegistry apiClients)
{
    public const string Password = "Portal-Demo-2026";

    /// <summary>Base32 authenticator key given to the demo accounts that must use two-factor (documented in the README).</summary>
    public const string AuthenticatorKey = "PORTALDEMOKEYAAAABBBBCCCCDDDDEEEE";

    public static readonly IReadOnlyList<(string Email, string Name, string Role)> Accounts =
    [
        ("admin@portal.example", "Ada Admin", Roles.Administrator),
        ("officer@portal.example", "Sam Officer", Roles.SecurityOfficer),
        ("approver@portal.example", "Alex Approver", Roles.Approver),
        ("commander@portal.example", "Wing Cdr Kim Commander", Roles.UnitCommander),
        ("staff@portal.example", "Sgt Pat Staff", Roles.Staff),
        ("vendor@xiaomi.example", "Lee Vendor", Roles.Vendor),
        ("auditor@portal.example", "Robin Auditor", Roles.Auditor),
    ];

    public async Task LoadAsync(CancellationToken ct = default)
    {
        foreach (var role in Roles.All)
        {
            if (!await roles.RoleExistsAsync(role))
                Check(await roles.CreateAsync(new PortalRole(role)), role);
        }

        var command = await UnitAsync("Air Command", "AC", UnitKind.Command, null, ct);
        var wings = new List<Unit>();
        for (var w = 1; w <= 3; w++)
        {
            var wing = await UnitAsync($"{w} Wing", $"W{w}", UnitKind.Wing, command, ct);
            wings.Add(wing);
            for (var s = 1; s <= 2; s++)
                await UnitAsync($"{w}{s}0 Squadron", $"SQ{w}{s}0", UnitKind.Squadron, wing, ct);
        }
        await db.SaveChangesAsync(ct);

        var xiaomi = await db.VendorOrganisations.FirstOrDefaultAsync(v => v.Name == "Xiaomi", ct);
        if (xiaomi is null)
        {
            xiaomi = VendorOrganisation.Create("Xiaomi", "psirt@xiaomi.example", clock.GetUtcNow());
            db.VendorOrganisations.Add(xiaomi);
            await db.SaveChangesAsync(ct);
        }

        var squadron = await db.Units.SingleAsync(u => u.Code == "SQ110", ct);
        foreach (var (email, name, role) in Accounts)
        {
            if (await users.FindByEmailAsync(email) is not null) continue;
            var user = new PortalUser
            {
                UserName = email,
                Email = email,
                EmailConfirmed = true,
                DisplayName = name,
                CreatedAt = clock.GetUtcNow(),
                UnitId = role switch
                {
                    Roles.UnitCommander => wings[0].Id,
                    Roles.Staff => squadron.Id,
                    _ => null,
                },
                VendorOrganisationId = role == Roles.Vendor ? xiaomi.Id : null,
            };
            Check(await users.CreateAsync(user, Password), email);
            Check(await users.AddToRoleAsync(user, role), email);
            if (Roles.RequiringTwoFactor.Contains(role))
            {
                Check(await users.SetAuthenticationTokenAsync(user, "[AspNetUserStore]", "AuthenticatorKey", AuthenticatorKey), email);
                Check(await users.SetTwoFactorEnabledAsync(user, true), email);
            }
        }

        await StaffAsync(ct);
        await CatalogueAsync(xiaomi, ct);
        await CircularsAsync(ct);
        await VendorResponsesAsync(ct);
        await ApiClientsAsync(xiaomi, ct);
    }

    private async Task<Unit> UnitAsync(string name, string code, UnitKind kind, Unit? parent, CancellationToken ct)
    {
        var existing = await db.Units.FirstOrDefaultAsync(u => u.Code == code, ct)
            ?? db.Units.Local.FirstOrDefault(u => u.Code == code);
        if (existing is not null) return existing;
        var unit = Unit.Create(name, code, kind, parent);
        db.Units.Add(unit);
        return unit;
    }

    private async Task StaffAsync(CancellationToken ct)
    {
        var staffUser = await users.FindByEmailAsync("staff@portal.example");
        var squadrons = await db.Units.Where(u => u.Kind == UnitKind.Squadron).OrderBy(u => u.Code).ToListAsync(ct);
        var known = (await db.StaffMembers.Select(s => s.ServiceNumber).ToListAsync(ct)).ToHashSet();
        string[] given = ["Asha", "Bilal", "Chen", "Divya", "Emeka", "Farah", "Gopal", "Hana", "Ivan", "Jaya"];
        string[] family = ["Rao", "Khan", "Li", "Nair", "Okafor", "Haddad", "Iyer", "Sato", "Petrov", "Menon"];
        var n = 0;
        foreach (var unit in squadrons)
        {
            for (var i = 0; i < 5; i++, n++)
            {
                var number = $"SN{10001 + n}";
                if (known.Contains(number)) continue;
                var name = $"{given[n % given.Length]} {family[(n / 2) % family.Length]}";
                var isDemoUser = n == 0 && staffUser is not null;
                var staff = StaffMember.Create(number,
                    isDemoUser ? staffUser!.DisplayName : name,
                    isDemoUser ? staffUser!.Email : $"{number.ToLowerInvariant()}@portal.example",
                    $"+9198{n:00000000}", isDemoUser ? staffUser!.UnitId ?? unit.Id : unit.Id, isDemoUser ? staffUser!.Id : null);
                staff.AddDependent($"{given[(n + 3) % given.Length]} {name.Split(' ')[1]}", "Spouse",
                    $"family.{number.ToLowerInvariant()}@home.example", $"+9197{n:00000000}", n % 3 == 0 ? "hi" : "en", consent: n % 4 != 3);
                if (n % 2 == 0)
                    staff.AddDependent($"{given[(n + 5) % given.Length]} {name.Split(' ')[1]}", "Child",
                        null, $"+9196{n:00000000}", "en", consent: true);
                db.StaffMembers.Add(staff);
            }
        }
        await db.SaveChangesAsync(ct);
    }

    private static void Check(IdentityResult result, string what)
    {
        if (!result.Succeeded)
            throw new InvalidOperationException($"Demo data: {what}: {string.Join("; ", result.Errors.Select(e => e.Description))}");
    }
}
