using TimeZoneConverter;
using Workflow.Application;

namespace Workflow.Api.Tests;

/// <summary>
/// Time zone names as people and Outlook give them, resolved the way the service runs: without ICU
/// (InvariantGlobalization, as in Directory.Build.props), where .NET alone cannot read a Windows name.
/// </summary>
public sealed class TimeZoneTests
{
    [Theory]
    [InlineData("W. Europe Standard Time", "Europe/Berlin")]
    [InlineData("Pacific Standard Time", "America/Los_Angeles")]
    [InlineData("AUS Eastern Standard Time", "Australia/Sydney")]
    [InlineData("UTC-02", "Etc/GMT+2")]
    public void A_Windows_zone_name_is_found_as_its_IANA_zone(string windows, string iana) =>
        Assert.Equal(iana, TimeZones.Find(windows)?.Id);

    [Theory]
    [InlineData("Europe/Berlin")]
    [InlineData("America/Argentina/Buenos_Aires")]
    [InlineData("Etc/GMT+2")]
    [InlineData("UTC")]
    public void An_IANA_id_is_found_as_itself(string iana) =>
        Assert.Equal(iana, TimeZones.Find(iana)?.Id);

    [Theory]
    [InlineData("")]
    [InlineData("Mars/Olympus_Mons")]
    [InlineData("Mars Standard Time")]
    [InlineData("W. Europe Standard Time ")]
    [InlineData("../../../etc/passwd")]
    [InlineData("Europe/../Europe/Berlin")]
    [InlineData("tzone://Microsoft/Custom")]
    [InlineData("Europe/Berlin\n")]
    public void Anything_else_is_no_zone(string junk) =>
        Assert.Null(TimeZones.Find(junk));

    [Fact]
    public void Every_Windows_zone_name_is_found()
    {
        var missing = TZConvert.KnownWindowsTimeZoneIds.Where(name => TimeZones.Find(name) is null).ToList();

        Assert.True(missing.Count == 0, $"Not found: {string.Join(", ", missing)}");
    }
}
