using FluentValidation;
using Microsoft.AspNetCore.Identity;
using Portal.Web.Domain;
using Mediator;
using Portal.Web.Infrastructure.Pipeline;
using Portal.Web.Infrastructure.Web;

namespace Portal.Web.Features.Account;

public static class SignIn
{
    public enum Outcome { SignedIn, NeedsTwoFactorCode }

    public sealed record Command : IRequest<Outcome>
    {
        public string? Email { get; init; }
        public string? Password { get; init; }
        public bool RememberMe { get; init; }
        public string? ReturnUrl { get; init; }
    }

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            RuleFor(c => c.Email).NotEmpty().WithMessage("Enter your e-mail address.").MaximumLength(256);
            RuleFor(c => c.Password).NotEmpty().WithMessage("Enter your password.").MaximumLength(256);
        }
    }

    /// <remarks>
    /// A wrong password and an unknown address read the same and take the same time (the password is hashed
    /// either way), and both count towards the account's limit: the answers never tell whether an account exists.
    /// </remarks>
    internal sealed class Handler(SignInManager<PortalUser> signIn, AccountThrottle throttle) : IRequestHandler<Command, Outcome>
    {
        private static readonly PortalUser Nobody = new() { UserName = "nobody" };
        private static readonly Lazy<string> NobodysHash = new(() => new PasswordHasher<PortalUser>().HashPassword(Nobody, Guid.NewGuid().ToString()));

        public async ValueTask<Outcome> Handle(Command request, CancellationToken ct)
        {
            var email = request.Email!.Trim();
            if (throttle.Wait(email) is { } wait)
                throw new TooManyAttemptsException(wait);
            if (await signIn.UserManager.FindByNameAsync(email) is null)
                signIn.UserManager.PasswordHasher.VerifyHashedPassword(Nobody, NobodysHash.Value, request.Password!);
            var result = await signIn.PasswordSignInAsync(email, request.Password!, request.RememberMe, lockoutOnFailure: true);
            if (result.Succeeded || result.RequiresTwoFactor)
            {
                throttle.Succeeded(email);
                return result.Succeeded ? Outcome.SignedIn : Outcome.NeedsTwoFactorCode;
            }
            if (result.IsNotAllowed)
                throw new ValidationException("This account may not sign in yet. Ask an administrator.");
            var shut = throttle.Failed(email);
            if (result.IsLockedOut)
                throw new TooManyAttemptsException(shut ?? signIn.Options.Lockout.DefaultLockoutTimeSpan);
            if (shut is { } closed)
                throw new TooManyAttemptsException(closed);
            throw new ValidationException("The e-mail address or password is not right.");
        }
    }
}

public static class TwoFactorSignIn
{
    public sealed record Command : IRequest<Done>
    {
        public string? Code { get; init; }
        public bool RememberMe { get; init; }
        public bool RememberMachine { get; init; }
        public string? ReturnUrl { get; init; }
    }

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator() =>
            RuleFor(c => c.Code).NotEmpty().WithMessage("Enter the 6-digit code from your authenticator app.")
                .Must(c => IsAuthenticatorCode(c!) || IsRecoveryCode(c!))
                .WithMessage("The code is the 6 digits your authenticator app shows, or one of your recovery codes (like 4F7KQ-2M9XD).");
    }

    private static bool IsAuthenticatorCode(string code) =>
        System.Text.RegularExpressions.Regex.IsMatch(code, @"^\s*[0-9 ]{6,8}\s*$");

    private static bool IsRecoveryCode(string code) =>
        System.Text.RegularExpressions.Regex.IsMatch(code, @"^\s*[A-Za-z0-9]{4,6}-?[A-Za-z0-9]{4,6}\s*$");

    internal sealed class Handler(SignInManager<PortalUser> signIn, AuthenticatorReuse reuse) : IRequestHandler<Command, Done>
    {
        public async ValueTask<Done> Handle(Command request, CancellationToken ct)
        {
            if (await signIn.GetTwoFactorAuthenticationUserAsync() is null)
                throw new ValidationException("Your sign-in has expired. Go back to the sign-in page and start again.");
            var code = request.Code!.Replace(" ", "", StringComparison.Ordinal).Trim();
            // A recovery code is good once, at the same step: for the day the phone is lost.
            var result = IsAuthenticatorCode(code)
                ? await signIn.TwoFactorAuthenticatorSignInAsync(code, request.RememberMe, request.RememberMachine)
                : await signIn.TwoFactorRecoveryCodeSignInAsync(code);
            if (result.Succeeded) return Done.Value;
            if (result.IsLockedOut)
                throw new ValidationException("This account is locked after too many failed attempts. Try again in 15 minutes, or ask an administrator.");
            if (reuse.Refused)
                throw new ValidationException([new FluentValidation.Results.ValidationFailure(nameof(Command.Code), "That code has already been used. Wait for your authenticator app to show the next one and enter that.")]);
            throw new ValidationException([new FluentValidation.Results.ValidationFailure(nameof(Command.Code), "That code is not right. Codes change every 30 seconds: enter the one shown now.")]);
        }
    }
}
