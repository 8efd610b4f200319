namespace Portal.Web.Domain;

/// <summary>
/// A request that the domain refuses for a reason a person can read (a state-machine rule, say). The reason is a
/// <see cref="Sentence"/>, translated where it reaches the person; <see cref="Exception.Message"/> is its English.
/// </summary>
public sealed class DomainException(Sentence reason) : Exception(reason.ToString())
{
    public Sentence Reason { get; } = reason;
}
