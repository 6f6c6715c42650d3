using System.Net;

namespace Marketplace.Integration.Tests.Hostile;

// Every wrong answer of one test, gathered so that one run shows all of them; UNKNOWN and INTERNAL
// (and HTTP 5xx or no answer) are listed first, as the worst: the service did not know what went wrong.
sealed class Failures
{
    readonly List<(string Rpc, string Case, string Answer, bool Unexplained, string Why)> _all = [];
    int _calls;

    public void Counted() => _calls++;

    public void Add(string rpc, string @case, Outcome outcome, string why) =>
        _all.Add((rpc, @case, outcome.ToString(), outcome.IsUnexplained, why));

    public void Add(string rpc, string @case, HttpStatusCode status, string body, string why) =>
        _all.Add((rpc, @case, $"HTTP {(int)status} \"{(body.Length > 120 ? body[..120] + "..." : body)}\" ({body.Length} chars)",
            (int)status is 0 or >= 500, why));

    public void AssertNone(int atLeastCalls)
    {
        var worstFirst = _all.OrderBy(f => f.Unexplained ? 0 : 1).ToList();
        var report = $"{_all.Count} wrong answers in {_calls} calls ({_all.Count(f => f.Unexplained)} UNKNOWN, INTERNAL or no answer):\n" +
                     string.Join("\n", worstFirst.Select(f => $"  {f.Rpc} | {f.Case} | {f.Answer} | {f.Why}"));
        Assert.True(_all.Count == 0, report);
        Assert.True(_calls >= atLeastCalls, $"only {_calls} calls were made; the table lost rows");
    }
}
