using Marketplace.Reference;

namespace Marketplace.Domain.Tests;

// The reference data shipped in seeds/, loaded once for the tests that only read it.
static class Seeded
{
    public static MarketReference Reference { get; } = MarketReference.Load();

    public static string File(string name) => Path.Combine(SeedJson.DefaultDirectory, name);
}
