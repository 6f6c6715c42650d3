namespace Marketplace.ServiceDefaults.Errors;

// Domain code throws these; the gRPC edge turns each kind into its status. No transport types here.
public abstract class MarketException(string message) : Exception(message)
{
    // Machine-readable details a client can act on (e.g. a fresh quote's id); sent as trailers.
    public IReadOnlyDictionary<string, string> Details { get; init; } = new Dictionary<string, string>();
}

// The request is wrong in one field: InvalidArgument, naming it.
public sealed class InvalidFieldException(string field, string problem)
    : MarketException($"{field}: {problem}")
{
    public string Field { get; } = field;
}

public sealed class NotFoundException(string what, string id) : MarketException($"{what} '{Grpc.Brief.Of(id)}' not found");

// The request is well formed but the market's state does not allow it now: FailedPrecondition.
public sealed class PreconditionException(string message) : MarketException(message);

// Not enough of something (capacity, budget): ResourceExhausted.
public sealed class ExhaustedException(string message) : MarketException(message);

public sealed class ForbiddenException(string message) : MarketException(message);

// The thing the request would create exists already, differently: AlreadyExists.
public sealed class ConflictException(string message) : MarketException(message);

// Something the market depends on did not answer in time; the same request may succeed later: Unavailable.
public sealed class UnavailableException(string message) : MarketException(message);
