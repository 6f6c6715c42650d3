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
}
