using Npgsql;

namespace Portal.Web.Data;

/// <summary>
/// The one Npgsql data source of the app. Statements the app sends again and again (every page's lookups, an
/// acknowledgement) are prepared automatically once per connection, so PostgreSQL stops planning them on every
/// request; and a connection going back to the pool is not reset (DISCARD ALL and the like, sent with the next
/// statement), because the app leaves no session state behind: no SET, no temporary tables, only
/// transaction-scoped advisory locks. A page opens the pooled connection four or five times, so the reset cost
/// as much as a query (docs/decisions/0060-circular-page-and-acknowledgement-storm.md). A connection string that
/// sets either itself keeps its own value.
/// </summary>
public static class PortalDataSource
{
    public const int AutoPreparedStatements = 100;

    public static NpgsqlDataSource Build(string connectionString)
    {
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        if (!connectionString.Contains("Auto Prepare", StringComparison.OrdinalIgnoreCase))
            builder.ConnectionStringBuilder.MaxAutoPrepare = AutoPreparedStatements;
        if (!connectionString.Contains("Reset On Close", StringComparison.OrdinalIgnoreCase))
            builder.ConnectionStringBuilder.NoResetOnClose = true;
        return builder.Build();
    }
}
