using System.Text;

namespace Marketplace.Cli.Tests.Readme;

// A command line split as a POSIX shell would split it, for the README's one-line commands: quotes,
// backslashes, $VAR and ${VAR} from the given variables, a # comment at the start of a word, and
// NAME=value words before the command as its environment.
public static class ShellWords
{
    public sealed record Command(IReadOnlyDictionary<string, string> Environment, IReadOnlyList<string> Words);

    public static Command Parse(string line, IReadOnlyDictionary<string, string> variables)
    {
        var words = Split(line, variables);
        var environment = new Dictionary<string, string>();
        var i = 0;
        for (; i < words.Count && IsAssignment(words[i]); i++)
            environment[words[i][..words[i].IndexOf('=')]] = words[i][(words[i].IndexOf('=') + 1)..];
        return new Command(environment, words.Skip(i).ToList());
    }

    static bool IsAssignment(string word) =>
        word.IndexOf('=') is > 0 and var at && word[..at].All(c => char.IsAsciiLetterOrDigit(c) || c == '_');

    static List<string> Split(string line, IReadOnlyDictionary<string, string> variables)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        var inWord = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (char.IsWhiteSpace(c))
            {
                if (inWord)
                    words.Add(word.ToString());
                (word, inWord) = (new StringBuilder(), false);
            }
            else if (c == '#' && !inWord)
                break;
            else if (c == '\'')
            {
                var end = line.IndexOf('\'', i + 1);
                if (end < 0)
                    throw new FormatException($"unclosed ' in: {line}");
                word.Append(line, i + 1, end - i - 1);
                (i, inWord) = (end, true);
            }
            else if (c == '"')
            {
                i++;
                for (; i < line.Length && line[i] != '"'; i++)
                {
                    if (line[i] == '\\' && i + 1 < line.Length && "\"\\$`".Contains(line[i + 1]))
                        word.Append(line[++i]);
                    else if (line[i] == '$')
                        i = Expand(line, i, word, variables);
                    else
                        word.Append(line[i]);
                }
                if (i >= line.Length)
                    throw new FormatException($"unclosed \" in: {line}");
                inWord = true;
            }
            else if (c == '\\' && i + 1 < line.Length)
                (_, inWord) = (word.Append(line[++i]), true);
            else if (c == '$')
                (i, inWord) = (Expand(line, i, word, variables), true);
            else
                (_, inWord) = (word.Append(c), true);
        }
        if (inWord)
            words.Add(word.ToString());
        return words;
    }

    // $NAME or ${NAME} at `at`; returns the index of its last character.
    static int Expand(string line, int at, StringBuilder word, IReadOnlyDictionary<string, string> variables)
    {
        var braced = at + 1 < line.Length && line[at + 1] == '{';
        var start = at + (braced ? 2 : 1);
        var end = start;
        while (end < line.Length && (char.IsAsciiLetterOrDigit(line[end]) || line[end] == '_'))
            end++;
        var name = line[start..end];
        if (name.Length == 0)
            throw new FormatException($"a lone $ in: {line}");
        word.Append(variables.TryGetValue(name, out var value) ? value
            : throw new KeyNotFoundException($"${name} is not set for: {line}"));
        return braced ? end : end - 1;
    }
}
