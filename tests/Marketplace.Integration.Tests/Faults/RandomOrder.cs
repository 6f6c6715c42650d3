namespace Marketplace.Integration.Tests.Faults;

static class RandomOrder
{
    // Fisher-Yates with the test's seeded Random, so a printed seed replays the same order.
    public static List<T> Shuffled<T>(this IEnumerable<T> items, Random random)
    {
        var list = items.ToList();
        for (var i = list.Count - 1; i > 0; i--)
        {
            var j = random.Next(i + 1);
            (list[i], list[j]) = (list[j], list[i]);
        }
        return list;
    }
}
