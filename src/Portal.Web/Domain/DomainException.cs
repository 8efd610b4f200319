namespace Portal.Web.Domain;

/// <summary>A request that the domain refuses for a reason a person can read (a state-machine rule, say).</summary>
public sealed class DomainException(string message) : Exception(message);
