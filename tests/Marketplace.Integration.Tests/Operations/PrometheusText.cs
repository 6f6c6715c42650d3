using System.Globalization;

namespace Marketplace.Integration.Tests.Operations;

// A scrape of /metrics read as a scraper reads it: one sample per line, `name{labels} value`.
sealed class PrometheusText(string text)
{
    public string Text { get; } = text;

    public static async Task<PrometheusText> ScrapeAsync(Uri jsonAddress)
    {
        using var http = new HttpClient { BaseAddress = jsonAddress };
        return new PrometheusText(await http.GetStringAsync("/metrics"));
    }

    // The sum of the samples of `name` whose labels include every `key="value"` given (0 when none).
    public double Sum(string name, params (string Key, string Value)[] labels) =>
        Samples(name).Where(s => labels.All(l => s.Labels.Contains($"{l.Key}=\"{l.Value}\""))).Sum(s => s.Value);

    public bool Has(string name) => Samples(name).Any();

    IEnumerable<(string Labels, double Value)> Samples(string name)
    {
        foreach (var line in Text.Split('\n'))
        {
            if (line.StartsWith('#') || !line.StartsWith(name, StringComparison.Ordinal))
                continue;
            var rest = line[name.Length..];
            if (rest.Length == 0 || (rest[0] != '{' && rest[0] != ' '))
                continue; // another metric whose name starts with this one
            var labelsEnd = rest[0] == '{' ? rest.IndexOf('}') + 1 : 0;
            var fields = rest[labelsEnd..].Trim().Split(' ');
            yield return (rest[..labelsEnd], double.Parse(fields[0], CultureInfo.InvariantCulture));
        }
    }
}
