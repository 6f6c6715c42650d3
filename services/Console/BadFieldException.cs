namespace Marketplace.Console;

// Input to one of the console's own endpoints that cannot be used: answered 400, naming the field.
sealed class BadFieldException(string field, string problem) : Exception($"{field}: {problem}")
{
    public string Field { get; } = field;
    public string Problem { get; } = problem;
}
