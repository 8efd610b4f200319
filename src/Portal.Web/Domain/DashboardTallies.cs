namespace Portal.Web.Domain;

/// <summary>
/// Running counts per circular revision and unit, kept exact by database triggers on
/// acknowledgement_requests and notifications (migrations/0007_dashboard_tallies.sql). The app only
/// reads them; nothing here writes them.
/// </summary>
public sealed class AcknowledgementTally
{
    private AcknowledgementTally() { }

    public Guid CircularId { get; private set; }
    public int RevisionNumber { get; private set; }
    public Guid UnitId { get; private set; }
    public int StaffAsked { get; private set; }
    public int StaffAcknowledged { get; private set; }
    public int FamilyAsked { get; private set; }
    public int FamilyAcknowledged { get; private set; }
}

/// <summary>Acknowledgements per unit in one UTC hour (see <see cref="AcknowledgementTally"/>).</summary>
public sealed class AcknowledgementHour
{
    private AcknowledgementHour() { }

    public Guid CircularId { get; private set; }
    public int RevisionNumber { get; private set; }
    public Guid UnitId { get; private set; }
    public DateTimeOffset Hour { get; private set; }
    public int Acknowledged { get; private set; }
}

/// <summary>Acknowledgements per unit on one UTC day (see <see cref="AcknowledgementTally"/>).</summary>
public sealed class AcknowledgementDay
{
    private AcknowledgementDay() { }

    public Guid CircularId { get; private set; }
    public int RevisionNumber { get; private set; }
    public Guid UnitId { get; private set; }
    public DateOnly Day { get; private set; }
    public int Acknowledged { get; private set; }
}

/// <summary>Notifications per unit and channel by delivery state (see <see cref="AcknowledgementTally"/>).</summary>
public sealed class DeliveryTally
{
    private DeliveryTally() { }

    public Guid CircularId { get; private set; }
    public int RevisionNumber { get; private set; }
    public Guid UnitId { get; private set; }
    public NotificationChannel Channel { get; private set; }
    public int Pending { get; private set; }
    public int Sent { get; private set; }
    public int Failed { get; private set; }
    public int Bounced { get; private set; }
}
