using System.Text.Json;
using System.Text.Json.Serialization;

namespace Marketplace.Cli.Profiles;

// Reads and writes the profile: $MARKETCTL_PROFILE, else $XDG_CONFIG_HOME/marketctl/profile.json, else
// ~/.config/marketctl/profile.json. It holds a token, so only its owner may read it.
public sealed class ProfileStore(Terminal terminal)
{
    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public string Path { get; } = terminal.Variable("MARKETCTL_PROFILE") ?? System.IO.Path.Combine(
        terminal.Variable("XDG_CONFIG_HOME") ?? System.IO.Path.Combine(
            terminal.Variable("HOME") ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".config"),
        "marketctl", "profile.json");

    public Profile Load()
    {
        if (!File.Exists(Path))
            return new Profile();
        try
        {
            return JsonSerializer.Deserialize<Profile>(File.ReadAllText(Path), Json) ?? new Profile();
        }
        catch (JsonException ex)
        {
            throw new Invocation.UsageException($"the profile {Path} is not valid JSON ({ex.Message}); fix or delete it");
        }
    }

    public void Save(Profile profile)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        var temporary = Path + ".tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(profile, Json));
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(temporary, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.Move(temporary, Path, overwrite: true); // a crash mid-write never leaves half a profile
    }
}
