using Marketplace.Events.V1;
using Marketplace.ServiceDefaults.Bus;
using MassTransit;

namespace Marketplace.Domain.Tests;

public sealed class An_exchange_name
{
    sealed class NamesByClrType : IEntityNameFormatter
    {
        public string FormatEntityName<T>() => "clr:" + typeof(T).Name;
    }

    [Fact]
    public void For_a_protobuf_event_is_its_full_protobuf_name()
    {
        var formatter = new ProtobufEntityNameFormatter(new NamesByClrType());

        var name = formatter.FormatEntityName<CapacityChanged>();

        Assert.Equal("marketplace.events.v1.CapacityChanged", name);
    }

    [Fact]
    public void For_anything_else_is_left_to_the_fallback()
    {
        var formatter = new ProtobufEntityNameFormatter(new NamesByClrType());

        var name = formatter.FormatEntityName<Uri>();

        Assert.Equal("clr:Uri", name);
    }
}
