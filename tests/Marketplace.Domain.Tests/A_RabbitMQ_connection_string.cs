using Marketplace.ServiceDefaults.Bus;

namespace Marketplace.Domain.Tests;

public sealed class A_RabbitMQ_connection_string
{
    [Theory]
    [InlineData("amqp://market:s3cret@rabbit.internal:5673/market", "rabbit.internal", 5673, "market", "market", "s3cret")]
    [InlineData("amqp://market:s3cret@rabbit.internal/market", "rabbit.internal", 5672, "market", "market", "s3cret")]
    [InlineData("amqp://rabbit.internal", "rabbit.internal", 5672, "/", "guest", "guest")]
    [InlineData("amqp://rabbit.internal/", "rabbit.internal", 5672, "/", "guest", "guest")]
    [InlineData("amqp://rabbit.internal/%2F", "rabbit.internal", 5672, "/", "guest", "guest")]
    [InlineData("amqp://10.0.0.7:15672/%2Fstaging", "10.0.0.7", 15672, "/staging", "guest", "guest")]
    [InlineData("amqp://us%40er:p%3Ass%2Fw%40rd@rabbit/my%20vhost", "rabbit", 5672, "my vhost", "us@er", "p:ss/w@rd")]
    [InlineData("amqp://alice:a:b@rabbit/", "rabbit", 5672, "/", "alice", "a:b")]
    public void Is_taken_apart_into_host_port_vhost_and_credentials(string connectionString,
        string host, int port, string virtualHost, string username, string password)
    {
        var address = RabbitMqAddress.Parse(connectionString);

        Assert.Equal(new RabbitMqAddress(host, (ushort)port, virtualHost, username, password), address);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void That_is_missing_means_the_local_default_broker(string? connectionString)
    {
        var address = RabbitMqAddress.Parse(connectionString);

        Assert.Equal(RabbitMqAddress.Parse(RabbitMqAddress.Default), address);
        Assert.Equal(new RabbitMqAddress("127.0.0.1", 5672, "/", "guest", "guest"), address);
    }

    [Fact]
    public void Of_one_host_names_that_one_node()
    {
        var address = RabbitMqAddress.Parse("amqp://market:s3cret@rabbit.internal:5673/market");

        Assert.Equal([new RabbitMqNode("rabbit.internal", 5673)], address.Nodes);
        Assert.False(address.IsCluster);
    }

    [Theory]
    [InlineData("amqp://market:s3cret@h1:5672,h2:5673,h3:5674/market", "market", "market", "s3cret")]
    [InlineData("amqp://h1:5672, h2:5673 ,h3:5674", "/", "guest", "guest")]
    [InlineData("amqp://us%40er:p%3Ass%2Fw%40rd@h1:5672,h2:5673,h3:5674/my%20vhost", "my vhost", "us@er", "p:ss/w@rd")]
    public void Of_a_cluster_lists_every_node_in_order_with_one_set_of_credentials(string connectionString,
        string virtualHost, string username, string password)
    {
        var address = RabbitMqAddress.Parse(connectionString);

        Assert.Equal([new RabbitMqNode("h1", 5672), new RabbitMqNode("h2", 5673), new RabbitMqNode("h3", 5674)], address.Nodes);
        Assert.True(address.IsCluster);
        Assert.Equal(("h1", (ushort)5672, virtualHost, username, password),
            (address.Host, address.Port, address.VirtualHost, address.Username, address.Password));
        Assert.Equal("h1:5672,h2:5673,h3:5674", address.Describe());
    }

    [Fact]
    public void Of_a_cluster_gives_a_node_without_a_port_the_scheme_s()
    {
        Assert.Equal([new RabbitMqNode("rabbit-0", 5672), new RabbitMqNode("rabbit-1", 5672)],
            RabbitMqAddress.Parse("amqp://rabbit-0,rabbit-1/").Nodes);
        Assert.Equal([new RabbitMqNode("rabbit-0", 5671), new RabbitMqNode("rabbit-1", 5700)],
            RabbitMqAddress.Parse("amqps://rabbit-0,rabbit-1:5700/").Nodes);
    }

    [Theory]
    [InlineData("amqp://h1,,h3/")]
    [InlineData("amqp://user:pw@h1,/")]
    public void With_an_empty_node_is_refused(string connectionString) =>
        Assert.Throws<FormatException>(() => RabbitMqAddress.Parse(connectionString));
}
