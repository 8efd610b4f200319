using System.Globalization;
using System.Runtime.CompilerServices;

namespace Portal.Tests.Support;

/// <summary>Every test thread formats and parses in the invariant culture, whatever the machine's locale.</summary>
internal static class InvariantCulture
{
    [ModuleInitializer]
    internal static void Apply()
    {
        CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
        CultureInfo.DefaultThreadCurrentUICulture = CultureInfo.InvariantCulture;
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        CultureInfo.CurrentUICulture = CultureInfo.InvariantCulture;
    }
}
