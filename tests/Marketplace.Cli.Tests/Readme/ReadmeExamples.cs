using System.Text.RegularExpressions;

namespace Marketplace.Cli.Tests.Readme;

// The commands of README.md as a reader finds them: the indented code blocks (a line ending in a backslash
// goes on) and, in the marketctl table, every `marketctl ...` in backticks, with the role of its row.
public static partial class ReadmeExamples
{
    public enum Kind { Grpcurl, CurlBlock, Marketctl, RunsTheMarket, Prose }

    public sealed record Example(int Line, Kind Kind, string Who, string Text)
    {
        public override string ToString() => $"README.md:{Line} {Text}";
    }

    public static string Path
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
                if (File.Exists(System.IO.Path.Combine(dir.FullName, "Marketplace.sln")))
                    return System.IO.Path.Combine(dir.FullName, "README.md");
            throw new FileNotFoundException("README.md beside Marketplace.sln, above " + AppContext.BaseDirectory);
        }
    }

    public static IReadOnlyList<Example> Read(string path)
    {
        var lines = File.ReadAllLines(path);
        var examples = new List<Example>();
        var who = "";
        for (var i = 0; i < lines.Length; i++)
        {
            if (lines[i].StartsWith("    ", StringComparison.Ordinal) && (i == 0 || lines[i - 1].Trim().Length == 0 || IsCode(lines[i - 1])))
            {
                var start = i;
                var block = new List<string>();
                for (; i < lines.Length && (IsCode(lines[i]) || lines[i].Trim().Length == 0 && i + 1 < lines.Length && IsCode(lines[i + 1])); i++)
                    block.Add(lines[i].Length >= 4 ? lines[i][4..] : "");
                i--;
                examples.AddRange(FromBlock(start + 1, block));
            }
            else if (lines[i].StartsWith('|'))
            {
                var cells = lines[i].Split('|');
                if (cells.Length > 2 && cells[1].Trim() is { Length: > 0 } first && !first.StartsWith("---", StringComparison.Ordinal))
                    who = first;
                foreach (Match code in InlineCode().Matches(lines[i]))
                    if (MarketctlCall().IsMatch(code.Groups[1].Value))
                        examples.Add(new Example(i + 1, Kind.Marketctl, who, code.Groups[1].Value));
            }
        }
        return examples;
    }

    static bool IsCode(string line) => line.StartsWith("    ", StringComparison.Ordinal);

    // A block of grpcurl lines is one example a line; a block with curl in it is one script; a block of
    // market.sh, dotnet or kubectl lines starts or builds the market itself; anything else (the layout) is prose.
    static IEnumerable<Example> FromBlock(int firstLine, List<string> block)
    {
        var logical = new List<(int Line, string Text)>();
        for (var j = 0; j < block.Count; j++)
        {
            var (line, text) = (firstLine + j, block[j]);
            while (text.EndsWith('\\') && j + 1 < block.Count)
                text = text[..^1] + " " + block[++j].Trim();
            if (text.Trim().Length > 0 && !text.TrimStart().StartsWith('#'))
                logical.Add((line, text));
        }
        if (logical.Any(l => FirstWord(l.Text) == "curl"))
        {
            yield return new Example(firstLine, Kind.CurlBlock, "", string.Join('\n', block));
            yield break;
        }
        foreach (var (line, text) in logical)
            yield return FirstWord(text) switch
            {
                "grpcurl" => new Example(line, Kind.Grpcurl, "", text),
                "marketctl" => new Example(line, Kind.Marketctl, "anyone", text),
                var w when w.StartsWith("deploy/", StringComparison.Ordinal) || w is "dotnet" or "kubectl" or "docker" =>
                    new Example(line, Kind.RunsTheMarket, "", text),
                _ => new Example(line, Kind.Prose, "", text),
            };
    }

    // The command's name, after any NAME=value words.
    static string FirstWord(string text) =>
        text.Split(' ', StringSplitOptions.RemoveEmptyEntries).SkipWhile(w => Assignment().IsMatch(w)).FirstOrDefault() ?? "";

    [GeneratedRegex("`([^`]+)`")]
    private static partial Regex InlineCode();

    [GeneratedRegex(@"^([A-Z_]+=\S+\s+)*marketctl\s")]
    private static partial Regex MarketctlCall();

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*=")]
    private static partial Regex Assignment();
}
