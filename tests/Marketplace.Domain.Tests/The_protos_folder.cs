using System.Text.RegularExpressions;

namespace Marketplace.Domain.Tests;

// protos/ is the contract a client in any language loads with its own toolchain (protoc, protobufjs,
// @grpc/proto-loader) and nothing else: every import resolves inside protos/, or is one of protobuf's
// own well-known types, which every toolchain bundles.
public sealed partial class The_protos_folder
{
    [GeneratedRegex("""^\s*import\s+(?:public\s+|weak\s+)?"([^"]+)"\s*;""", RegexOptions.Multiline)]
    private static partial Regex Import();

    static DirectoryInfo Protos()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !dir.EnumerateFiles("Marketplace.sln").Any())
            dir = dir.Parent;
        return new DirectoryInfo(Path.Combine(dir?.FullName ?? throw new DirectoryNotFoundException("no Marketplace.sln above the tests"), "protos"));
    }

    [Fact]
    public void Carries_every_file_its_protos_import()
    {
        var root = Protos();
        var files = root.EnumerateFiles("*.proto", SearchOption.AllDirectories).ToList();
        Assert.Contains(files, f => f.FullName.EndsWith(Path.Combine("marketplace", "provider", "v1", "provider.proto")));

        var missing = files
            .SelectMany(f => Import().Matches(File.ReadAllText(f.FullName)).Select(m => (File: Path.GetRelativePath(root.FullName, f.FullName), Import: m.Groups[1].Value)))
            .Where(i => !i.Import.StartsWith("google/protobuf/", StringComparison.Ordinal))
            .Where(i => !File.Exists(Path.Combine(root.FullName, i.Import)))
            .Select(i => $"{i.File} imports {i.Import}")
            .ToList();
        Assert.True(missing.Count == 0, "not in protos/: " + string.Join("; ", missing));
    }
}
