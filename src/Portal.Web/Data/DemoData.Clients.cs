using Microsoft.EntityFrameworkCore;
using Portal.Web.Domain;
using Portal.Web.Infrastructure.Auth;

namespace Portal.Web.Data;

public sealed partial class DemoData
{
    /// <summary>The documented secret of the demo API clients (README).</summary>
    public const string ClientSecret = "Portal-Demo-Client-2026";

    /// <summary>An MDM system and Xiaomi's own ticket system, so the README's curl works at once.</summary>
    private async Task ApiClientsAsync(VendorOrganisation xiaomi, CancellationToken ct)
    {
        if (!await db.ApiClients.AnyAsync(c => c.ClientId == "mdm-demo", ct))
            await apiClients.RegisterAsync("Demo MDM system", ApiClientKind.MdmSystem, [ApiScopes.CircularsRead, ApiScopes.DevicesCheck], null, [],
                null, null, ct, clientId: "mdm-demo", secret: ClientSecret);

        if (!await db.ApiClients.AnyAsync(c => c.ClientId == "xiaomi-demo", ct))
        {
            await apiClients.RegisterAsync("Xiaomi PSIRT ticket system", ApiClientKind.VendorSystem, [ApiScopes.VendorCases], xiaomi.Id, [],
                null, null, ct, clientId: "xiaomi-demo", secret: ClientSecret);
            // Xiaomi's demo user also manages Xiaomi's own clients at /admin/api-clients.
            if (await users.FindByEmailAsync("vendor@xiaomi.example") is { } vendorUser && !await users.IsInRoleAsync(vendorUser, Roles.VendorAdministrator))
                Check(await users.AddToRoleAsync(vendorUser, Roles.VendorAdministrator), vendorUser.Email!);
        }
    }
}
