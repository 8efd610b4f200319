using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Microsoft.Extensions.Options;
using PhoneNumbers;
using Portal.Web.Infrastructure.Startup;

namespace Portal.Web.Infrastructure.Text;

/// <summary>
/// Reads a mobile number as people type it ("98765 43210", "+91 98765-43210", "0044 7700 900123") with
/// libphonenumber, and stores it in E.164 ("+919876543210"), the form the SMS gateway and the dispatcher
/// expect. A number without a country code is read as one of <see cref="PortalOptions.PhoneRegion"/>.
/// Every way staff or family mobile numbers enter the portal goes through here (docs/decisions/0015-phone-numbers.md).
/// </summary>
public sealed class MobileNumbers(IOptions<PortalOptions> options)
{
    private const int MaxTypedLength = 40;
    private static readonly PhoneNumberUtil Util = PhoneNumberUtil.GetInstance();
    private readonly string _region = options.Value.PhoneRegion;

    /// <summary>The region a number without a country code is read in, by its English name ("India").</summary>
    public string HomeRegionName => RegionName(_region);

    /// <summary>The number in E.164, or the reason (a sentence for the person who typed it) it cannot be dialled.</summary>
    public bool TryNormalise(string? typed, out string e164, out string error)
    {
        e164 = "";
        error = "";
        var text = typed?.Trim() ?? "";
        if (text.Length == 0)
        {
            error = "Give a mobile number.";
            return false;
        }
        var home = RegionName(_region);
        var notANumber = $"\"{typed}\" is not a mobile number in international form or a number in {home}: start with + and the country code, for example +91 98765 43210.";
        if (text.Length > MaxTypedLength)
        {
            error = $"That is not a mobile number in international form or a number in {home}: it is longer than any phone number.";
            return false;
        }
        PhoneNumber number;
        try
        {
            number = Util.Parse(text, _region);
        }
        catch (NumberParseException ex)
        {
            error = ex.ErrorType == ErrorType.INVALID_COUNTRY_CODE && text.StartsWith('+')
                ? $"\"{typed}\" is not a mobile number in international form or a number in {home}: +{CountryCodeTyped(text)} is not a country code."
                : notANumber;
            return false;
        }
        if (!Util.IsValidNumber(number))
        {
            var where = Util.GetRegionCodeForCountryCode(number.CountryCode) is { Length: 2 } region and not "ZZ" and not "001" ? RegionName(region) : null;
            error = Util.IsPossibleNumberWithReason(number) switch
            {
                PhoneNumberUtil.ValidationResult.INVALID_COUNTRY_CODE => $"\"{typed}\" is not a mobile number in international form or a number in {home}: +{number.CountryCode} is not a country code.",
                PhoneNumberUtil.ValidationResult.TOO_SHORT => $"\"{typed}\" is not a mobile number in international form or a number in {home}: it has too few digits{(where is null ? "" : $" for {where}")}. A number abroad starts with + and its country code.",
                PhoneNumberUtil.ValidationResult.TOO_LONG => $"\"{typed}\" is not a mobile number in international form or a number in {home}: it has too many digits{(where is null ? "" : $" for {where}")}.",
                _ => $"\"{typed}\" is not a mobile number in international form or a number in {home}: no phone in {where ?? "that country"} has that number. Check the digits.",
            };
            return false;
        }
        switch (Util.GetNumberType(number))
        {
            case PhoneNumberType.FIXED_LINE:
                error = $"\"{typed}\" is a landline number: text messages cannot reach it. Give a mobile number.";
                return false;
            case PhoneNumberType.TOLL_FREE or PhoneNumberType.PREMIUM_RATE or PhoneNumberType.SHARED_COST or PhoneNumberType.UAN or PhoneNumberType.VOICEMAIL:
                error = $"\"{typed}\" is a service number, not a mobile number. Give a mobile number.";
                return false;
        }
        e164 = Util.Format(number, PhoneNumberFormat.E164);
        return true;
    }

    /// <summary>The E.164 form of a number that has passed <see cref="TryNormalise"/>; null when none was typed.</summary>
    public string? E164OrNull(string? typed) =>
        string.IsNullOrWhiteSpace(typed) ? null
        : TryNormalise(typed, out var e164, out var error) ? e164 : throw new ArgumentException(error, nameof(typed));

    private static string CountryCodeTyped(string text) => new([.. text.SkipWhile(c => !char.IsAsciiDigit(c)).TakeWhile(char.IsAsciiDigit).Take(3)]);

    private static string RegionName(string code)
    {
        try
        {
            return new RegionInfo(code).EnglishName;
        }
        catch (ArgumentException)
        {
            return code;
        }
    }
}

/// <summary>A region libphonenumber knows (ISO 3166 two letters, such as IN or GB).</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class PhoneRegionAttribute : ValidationAttribute
{
    protected override ValidationResult? IsValid(object? value, ValidationContext context) =>
        value is string code && PhoneNumberUtil.GetInstance().GetSupportedRegions().Contains(code)
            ? ValidationResult.Success
            : new ValidationResult($"Portal:PhoneRegion must be a two-letter region code that phone numbers are read in, such as IN; '{value}' is not one.");
}
