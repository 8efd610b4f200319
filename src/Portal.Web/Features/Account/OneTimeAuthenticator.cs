using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Portal.Web.Data;
using Portal.Web.Domain;

namespace Portal.Web.Features.Account;

/// <summary>
/// Authenticator (RFC 6238) codes as Identity's own provider checks them (30-second steps, two steps either
/// side for clock drift), except that a code is good once: the step it matched is recorded per account by a
/// compare-and-set, so a code seen over someone's shoulder, or sent twice in parallel, is refused the second
/// time, and so is any code from an earlier step (docs/decisions/0021-one-time-authenticator-codes.md).
/// </summary>
internal sealed class OneTimeAuthenticator(PortalDbContext db, TimeProvider clock, AuthenticatorReuse reuse) : IUserTwoFactorTokenProvider<PortalUser>
{
    private const int StepSeconds = 30;
    private const int DriftSteps = 2;

    public async Task<bool> CanGenerateTwoFactorTokenAsync(UserManager<PortalUser> manager, PortalUser user) =>
        !string.IsNullOrWhiteSpace(await manager.GetAuthenticatorKeyAsync(user));

    /// <summary>The app generates the codes; the portal never does.</summary>
    public Task<string> GenerateAsync(string purpose, UserManager<PortalUser> manager, PortalUser user) => Task.FromResult(string.Empty);

    public async Task<bool> ValidateAsync(string purpose, string token, UserManager<PortalUser> manager, PortalUser user)
    {
        var key = await manager.GetAuthenticatorKeyAsync(user);
        if (string.IsNullOrWhiteSpace(key) || token.Length is < 6 or > 8
            || !int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var code))
            return false;
        var keyBytes = FromBase32(key);
        var now = clock.GetUtcNow().ToUnixTimeSeconds() / StepSeconds;
        long? matched = null;
        for (var step = now - DriftSteps; step <= now + DriftSteps && matched is null; step++)
            if (Code(keyBytes, step) == code)
                matched = step;
        if (matched is not { } used)
            return false;
        // Its own table, outside the EF model: Identity saves the whole user row it loaded before this claim
        // (a failed attempt, a reset of the failure count), which would write an older step back.
        var claimed = await db.Database.ExecuteSqlAsync($"""
            INSERT INTO authenticator_steps (user_id, last_step) VALUES ({user.Id}, {used})
            ON CONFLICT (user_id) DO UPDATE SET last_step = excluded.last_step WHERE authenticator_steps.last_step < excluded.last_step
            """);
        if (claimed == 0)
            reuse.Refused = true;
        return claimed == 1;
    }

    /// <summary>The 6-digit code of one time step (RFC 6238 with HMAC-SHA1, as authenticator apps compute it).</summary>
    public static int Code(byte[] key, long step)
    {
        Span<byte> counter = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(counter, step);
        Span<byte> hash = stackalloc byte[20];
        HMACSHA1.HashData(key, counter, hash);
        var offset = hash[^1] & 0x0f;
        var binary = ((hash[offset] & 0x7f) << 24) | (hash[offset + 1] << 16) | (hash[offset + 2] << 8) | hash[offset + 3];
        return binary % 1_000_000;
    }

    private static byte[] FromBase32(string text)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        var output = new List<byte>(text.Length * 5 / 8);
        int buffer = 0, bits = 0;
        foreach (var c in text.ToUpperInvariant())
        {
            var value = alphabet.IndexOf(c, StringComparison.Ordinal);
            if (value < 0) continue;
            buffer = (buffer << 5) | value;
            bits += 5;
            if (bits < 8) continue;
            output.Add((byte)(buffer >> (bits - 8)));
            bits -= 8;
        }
        return [.. output];
    }
}

/// <summary>Set when the last authenticator code of this request was right but already used, so the answer can say so.</summary>
internal sealed class AuthenticatorReuse
{
    public bool Refused { get; set; }
}
