using System.Text;
using FluentValidation;
using Microsoft.AspNetCore.Identity;
using Portal.Web.Domain;
using Mediator;
using Portal.Web.Infrastructure.Pipeline;
using QRCoder;
using Portal.Web.Infrastructure.Auth;

namespace Portal.Web.Features.Account;

public static class TwoFactorSetup
{
    /// <summary>The user's authenticator key (made on first visit) as text and as a QR code.</summary>
    public sealed record Query : IRequest<Result>;

    public sealed record Result(string FormattedKey, string QrSvg, bool AlreadyEnrolled);

    public sealed record Command : ICommand<IReadOnlyList<string>>
    {
        public string? Code { get; init; }

        /// <summary>Asked again when two-factor sign-in is already on, before new recovery codes are made.</summary>
        public string? Password { get; init; }
    }

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator() =>
            RuleFor(c => c.Code).NotEmpty().WithMessage("Enter the 6-digit code your authenticator app shows after you add the key.")
                .Matches(@"^\s*[0-9 ]{6,8}\s*$").WithMessage("The code is the 6 digits your authenticator app shows.");
    }

    internal sealed class QueryHandler(ICurrentUser me, UserManager<PortalUser> users) : IRequestHandler<Query, Result>
    {
        public async ValueTask<Result> Handle(Query request, CancellationToken ct)
        {
            var user = await users.FindByIdAsync(me.Id.ToString()) ?? throw new InvalidOperationException("Signed-in user not found.");
            // The key of an enrolled account is never shown again, to this session or any other.
            if (user.TwoFactorEnabled)
                return new Result("", "", AlreadyEnrolled: true);
            var key = await users.GetAuthenticatorKeyAsync(user);
            if (string.IsNullOrEmpty(key))
            {
                // Stored as the user store keeps it, without a new security stamp: making the key must not end this session.
                await users.SetAuthenticationTokenAsync(user, "[AspNetUserStore]", "AuthenticatorKey", users.GenerateNewAuthenticatorKey());
                key = await users.GetAuthenticatorKeyAsync(user);
            }
            var uri = $"otpauth://totp/{Uri.EscapeDataString("Advisory Portal")}:{Uri.EscapeDataString(user.Email!)}?secret={key}&issuer={Uri.EscapeDataString("Advisory Portal")}&digits=6";
            using var data = QRCodeGenerator.GenerateQrCode(uri, QRCodeGenerator.ECCLevel.M);
            var svg = new SvgQRCode(data).GetGraphic(4);
            return new Result(Format(key!), svg, user.TwoFactorEnabled);
        }

        private static string Format(string key)
        {
            var sb = new StringBuilder();
            for (var i = 0; i < key.Length; i += 4)
                sb.Append(key.AsSpan(i, Math.Min(4, key.Length - i))).Append(' ');
            return sb.ToString().TrimEnd().ToLowerInvariant();
        }
    }

    internal sealed class Handler(ICurrentUser me, UserManager<PortalUser> users, SignInManager<PortalUser> signIn) : ICommandHandler<Command, IReadOnlyList<string>>
    {
        public async ValueTask<IReadOnlyList<string>> Handle(Command request, CancellationToken ct)
        {
            var user = await users.FindByIdAsync(me.Id.ToString()) ?? throw new InvalidOperationException("Signed-in user not found.");
            if (user.TwoFactorEnabled && (string.IsNullOrEmpty(request.Password) || !await users.CheckPasswordAsync(user, request.Password)))
                throw new ValidationException([new FluentValidation.Results.ValidationFailure(nameof(Command.Password),
                    "Enter your password: two-factor sign-in is already on, and new recovery codes replace the old ones.")]);
            var code = request.Code!.Replace(" ", "", StringComparison.Ordinal).Trim();
            if (!await users.VerifyTwoFactorTokenAsync(user, users.Options.Tokens.AuthenticatorTokenProvider, code))
                throw new ValidationException([new FluentValidation.Results.ValidationFailure(nameof(Command.Code),
                    "That code does not match. Check that the app's clock is right and enter the code shown now.")]);
            await users.SetTwoFactorEnabledAsync(user, true);
            var codes = await users.GenerateNewTwoFactorRecoveryCodesAsync(user, 10);
            await signIn.RefreshSignInAsync(user);
            return codes?.ToList() ?? [];
        }
    }
}
