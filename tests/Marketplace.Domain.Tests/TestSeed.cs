namespace Marketplace.Domain.Tests;

// Seeds of the randomised tests: a fresh one each run, printed by the test; replay a run with
// MARKETPLACE_TEST_SEED=<the printed seed>.
static class TestSeed
{
    public static int New() => int.TryParse(Environment.GetEnvironmentVariable("MARKETPLACE_TEST_SEED"), out var seed)
        ? seed
        : Random.Shared.Next();
}
