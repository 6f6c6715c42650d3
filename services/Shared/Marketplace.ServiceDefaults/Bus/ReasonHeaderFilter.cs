using MassTransit;

namespace Marketplace.ServiceDefaults.Bus;

// Puts why a message went to the error queue, in words, in its `reason` header: the poison reason when
// the message can never be applied ("unparseable body", "negative quantity"), else the fault that
// outlasted the retries. MassTransit's own MT-Fault-* headers stay beside it.
sealed class ReasonHeaderFilter : IFilter<ExceptionReceiveContext>
{
    const int MaxLength = 200;

    public Task Send(ExceptionReceiveContext context, IPipe<ExceptionReceiveContext> next)
    {
        context.ExceptionHeaders.Set(PoisonMessageException.ReasonHeader, Describe(context.Exception));
        return next.Send(context);
    }

    public void Probe(ProbeContext context) => context.CreateFilterScope("reason-header");

    public static string Describe(Exception ex)
    {
        for (var e = ex; e is not null; e = e.InnerException)
            if (e is PoisonMessageException poison)
                return poison.Reason;
        var root = ex.GetBaseException();
        var text = $"failed after retries: {root.GetType().Name}: {root.Message}";
        return text.Length <= MaxLength ? text : text[..MaxLength];
    }
}
