using System.Globalization;

namespace Marketplace.Cli.Output;

// Column-aligned text for people: a header row, then one row per item; numbers line up on the right.
public sealed class Table(params string[] headers)
{
    readonly List<string[]> _rows = [];

    public int Count => _rows.Count;

    public Table Add(params object?[] cells)
    {
        _rows.Add(cells.Select(c => c?.ToString() ?? "").ToArray());
        return this;
    }

    public void WriteTo(TextWriter writer)
    {
        var widths = headers.Select((h, i) => Math.Max(h.Length, _rows.Max(r => (int?)r[i].Length) ?? 0)).ToArray();
        var numeric = headers.Select((_, i) => _rows.Count > 0 && _rows.All(r => r[i].Length == 0 || IsNumber(r[i]))).ToArray();
        writer.WriteLine(Line(headers, widths, numeric));
        foreach (var row in _rows)
            writer.WriteLine(Line(row, widths, numeric));
    }

    static string Line(string[] cells, int[] widths, bool[] numeric) =>
        string.Join("  ", cells.Select((c, i) => numeric[i] ? c.PadLeft(widths[i]) : c.PadRight(widths[i]))).TrimEnd();

    // 1,234.56 and 2.5% are numbers; ids that merely start with a digit are not.
    static bool IsNumber(string cell) =>
        decimal.TryParse(cell.Replace(",", "").TrimEnd('%'), NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint,
            CultureInfo.InvariantCulture, out _);
}
