namespace Marketplace.Cli.Tests;

// The market takes seconds to start (RabbitMQ): every test class shares one.
[CollectionDefinition(Name)]
public sealed class CliCollection : ICollectionFixture<CliMarket>
{
    public const string Name = "marketctl";
}
