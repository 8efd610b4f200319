using Portal.Web.Domain;
using Portal.Web.Features.Devices;

namespace Portal.Tests.Devices;

/// <summary>IMEI checks, TACs, masking, version keys and manufacturer names: known vectors, no database.</summary>
public sealed class DeviceIdentityTests
{
    [Theory]
    [InlineData("490154203237518", "490154203237518")]
    [InlineData("49-015420-323751-8", "490154203237518")]
    [InlineData("352099 001761481", "352099001761481")]
    [InlineData("3520990017614823", "352099001761481")]
    [InlineData("35-209900-176148-23", "352099001761481")]
    public void Valid_IMEIs_and_IMEISVs_become_the_15_digit_IMEI(string typed, string imei)
    {
        Imeis.Normalise(typed, out var problem).ShouldBe(imei);
        problem.ShouldBeNull();
        Imeis.Tac(imei).ShouldBe(imei[..8]);
    }

    [Theory]
    [InlineData("490154203237519", "Luhn")]
    [InlineData("49015420323751A", "only digits")]
    [InlineData("4901542032375", "this has 13")]
    [InlineData("49015420323751812", "this has 17")]
    [InlineData("", "dial *#06#")]
    [InlineData("=1+1", "only digits")]
    public void Wrong_IMEIs_are_refused_with_a_reason(string typed, string reason)
    {
        Imeis.Normalise(typed, out var problem).ShouldBeNull();
        problem.ShouldNotBeNull().ShouldContain(reason);
    }

    [Fact]
    public void Check_digits_match_the_published_examples()
    {
        Imeis.CheckDigit("49015420323751").ShouldBe('8');
        Imeis.CheckDigit("35209900176148").ShouldBe('1');
    }

    [Fact]
    public void A_masked_IMEI_shows_only_the_last_four_digits() =>
        Imeis.Mask("490154203237518").ShouldBe("•••••••••••7518");

    [Theory]
    [InlineData("6.0.5", "6.0.10")]
    [InlineData("6.0", "6.0.1")]
    [InlineData("V5.8.3", "V5.8.22")]
    [InlineData("V12.0.3.0.QFKMIXM", "V12.0.10.0")]
    [InlineData("MIUI 9", "miui 10")]
    [InlineData("1.2a", "1.2b")]
    [InlineData("13", "14 beta")]
    public void Version_keys_order_as_versions_do_not_as_text(string lower, string higher)
    {
        string.CompareOrdinal(Versions.Key(lower), Versions.Key(higher)).ShouldBeLessThan(0);
        Catalogue.CompareVersions(lower, higher).ShouldBeLessThan(0);
    }

    [Fact]
    public void Equal_versions_have_equal_keys() => Versions.Key("V5.08.022").ShouldBe(Versions.Key("v5.8.22"));

    [Theory]
    [InlineData("Xiaomi")]
    [InlineData("XIAOMI INC.")]
    [InlineData("Xiaomi Communications Co., Ltd.")]
    [InlineData("  xiaomi  corporation ")]
    public void Manufacturer_names_as_exports_write_them_come_to_one_key(string name) =>
        ManufacturerNames.Key(name).ShouldBe("xiaomi");

    [Fact]
    public void A_name_made_only_of_company_words_keeps_its_last_word() =>
        ManufacturerNames.Key("Mobile Co").ShouldBe("mobile");

    [Theory]
    [InlineData("Redmi Note*", "Redmi Note 4G", true)]
    [InlineData("Redmi Note*", "redmi note", true)]
    [InlineData("Redmi Note*", "Redmi 1S", false)]
    [InlineData("Mi ?S", "Mi 3S", true)]
    [InlineData("Mi ?S", "Mi 33S", false)]
    [InlineData("A(1)+", "A(1)+", true)]
    [InlineData("A(1)+", "A11", false)]
    public void Rule_patterns_become_anchored_regular_expressions(string pattern, string model, bool matches) =>
        System.Text.RegularExpressions.Regex.IsMatch(model, Compliance.PatternRegex(pattern), System.Text.RegularExpressions.RegexOptions.IgnoreCase)
            .ShouldBe(matches);
}
