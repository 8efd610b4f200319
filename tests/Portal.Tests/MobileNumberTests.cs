using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;
using Portal.Web.Infrastructure.Startup;
using Portal.Web.Infrastructure.Text;

namespace Portal.Tests;

/// <summary>Mobile numbers as people type them, read with libphonenumber and stored in E.164.</summary>
public sealed class MobileNumberTests
{
    private static MobileNumbers In(string region) => new(Options.Create(new PortalOptions { PhoneRegion = region }));

    [Theory]
    [InlineData("+91 98765 43210", "+919876543210")]
    [InlineData("+91-98765-43210", "+919876543210")]
    [InlineData("98765 43210", "+919876543210")]
    [InlineData("098765-43210", "+919876543210")]
    [InlineData("(+91) 98765.43210", "+919876543210")]
    [InlineData("+44 7400 123456", "+447400123456")]
    [InlineData("0044 7400 123456", "+447400123456")]
    [InlineData("+49 1512 3456789", "+4915123456789")]
    [InlineData("+1 650-253-0000", "+16502530000")]
    public void Indian_and_foreign_mobile_numbers_are_stored_in_e164(string typed, string stored)
    {
        In("IN").TryNormalise(typed, out var e164, out var error).ShouldBeTrue(error);
        e164.ShouldBe(stored);
    }

    [Fact]
    public void A_number_without_a_country_code_is_read_in_the_configured_region()
    {
        In("DE").TryNormalise("01512 3456789", out var e164, out _).ShouldBeTrue();
        e164.ShouldBe("+4915123456789");
        In("IN").TryNormalise("01512 3456789", out _, out _).ShouldBeFalse("not an Indian number");
    }

    [Theory]
    [InlineData("call me maybe", "is not a mobile number in international form or a number in India")]
    [InlineData("+44 7700 900123", "no phone in United Kingdom has that number")]
    [InlineData("98765", "has too few digits")]
    [InlineData("+91 98765 432109876", "has too many digits")]
    [InlineData("+999 98765 43210", "+999 is not a country code")]
    [InlineData("+91 11 2345 6789", "is a landline number")]
    [InlineData("1800 180 1961", "is a service number")]
    [InlineData("<script>alert(1)</script>", "is not a mobile number")]
    public void A_number_that_cannot_be_dialled_is_refused_with_a_reason(string typed, string reason)
    {
        In("IN").TryNormalise(typed, out var e164, out var error).ShouldBeFalse();
        e164.ShouldBeEmpty();
        error.ShouldContain(reason);
    }

    [Fact]
    public void A_very_long_input_is_refused_without_being_quoted()
    {
        In("IN").TryNormalise(new string('9', 5000), out _, out var error).ShouldBeFalse();
        error.Length.ShouldBeLessThan(200);
    }

    [Fact]
    public void The_home_region_must_be_one_phone_numbers_are_read_in()
    {
        Validate(new PortalOptions { PhoneRegion = "IN" }).ShouldBeEmpty();
        Validate(new PortalOptions { PhoneRegion = "XX" }).ShouldHaveSingleItem().ErrorMessage.ShouldNotBeNull().ShouldContain("Portal:PhoneRegion");
        Validate(new PortalOptions { PhoneRegion = "india" }).ShouldNotBeEmpty();
    }

    private static List<ValidationResult> Validate(PortalOptions options)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        return results;
    }
}
