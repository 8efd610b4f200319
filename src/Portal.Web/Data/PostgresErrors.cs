using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Portal.Web.Data;

internal static class PostgresErrors
{
    /// <summary>
    /// A unique index refused the row. Validators check uniqueness first; this catches the request that
    /// lost a race between that check and the insert, so it too gets a message rather than a 500.
    /// </summary>
    public static bool IsUniqueViolation(this DbUpdateException exception) =>
        exception.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation };
}
