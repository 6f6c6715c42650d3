using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Marketplace.Events.V1;
using Marketplace.Provider.V1;
using Marketplace.ServiceDefaults.Bus;

namespace Marketplace.Domain.Tests;

// The only class in this assembly that makes poison: BusMetrics.PoisonTotal is process-wide.
public sealed class A_bus_message_read_from_its_bytes
{
    const string CapacityChangedName = "marketplace.events.v1.CapacityChanged";

    static CapacityChanged Event(string eventId) => new()
    {
        EventId = eventId,
        OccurredAt = Timestamp.FromDateTimeOffset(new DateTimeOffset(2030, 1, 1, 8, 0, 0, TimeSpan.Zero)),
        Reason = CapacityChangeReason.Held,
        Capacity = new OfferCapacity
        {
            Offer = new Offer { Id = "guian-tencent-cave-h20-a", AcceleratorModel = "H20", Count = 512, Version = 7 },
            Version = 7,
            Free =
            {
                new FreeCapacityRun
                {
                    Start = Timestamp.FromDateTimeOffset(new DateTimeOffset(2030, 1, 1, 9, 0, 0, TimeSpan.Zero)),
                    Hours = 24,
                    Free = 448,
                },
            },
        },
    };

    static PoisonMessageException ReadPoison(byte[] bytes, string? typeName, out long counted)
    {
        var before = BusMetrics.PoisonTotal;
        var poison = Assert.Throws<PoisonMessageException>(() => ProtobufMessageSerializer.Read(bytes, typeName));
        counted = BusMetrics.PoisonTotal - before;
        return poison;
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void Without_a_type_header_is_counted_poison_for_a_missing_type(string? typeName)
    {
        var bytes = Event("evt-1").ToByteArray();

        var poison = ReadPoison(bytes, typeName, out var counted);

        Assert.Equal("no type header", poison.Reason);
        Assert.Equal(1, counted);
    }

    [Theory]
    [InlineData("marketplace.events.v1.NoSuchEvent")]
    [InlineData("marketplace.provider.v1.Offer")]
    [InlineData("CapacityChanged")]
    public void Naming_a_type_that_is_not_a_bus_event_is_counted_poison_for_an_unknown_type(string typeName)
    {
        var bytes = Event("evt-1").ToByteArray();

        var poison = ReadPoison(bytes, typeName, out var counted);

        Assert.Equal("unknown type header", poison.Reason);
        Assert.Equal(1, counted);
    }

    [Fact]
    public void That_does_not_parse_as_its_type_is_counted_poison_for_unparseable_bytes()
    {
        var whole = Event("evt-1").ToByteArray();
        var truncated = whole[..^3];

        var poison = ReadPoison(truncated, CapacityChangedName, out var counted);

        Assert.Equal("unparseable body", poison.Reason);
        Assert.IsType<InvalidProtocolBufferException>(poison.InnerException);
        Assert.Equal(1, counted);
    }

    [Fact]
    public void Without_an_event_id_is_counted_poison_for_a_missing_event_id()
    {
        var bytes = Event(eventId: "").ToByteArray();

        var poison = ReadPoison(bytes, CapacityChangedName, out var counted);

        Assert.Equal("no event id", poison.Reason);
        Assert.Equal(1, counted);
    }

    [Fact]
    public void Of_a_known_type_with_an_event_id_comes_back_equal_and_is_not_counted()
    {
        var sent = Event("evt-42");
        var before = BusMetrics.PoisonTotal;

        var read = ProtobufMessageSerializer.Read(sent.ToByteArray(), CapacityChangedName);

        var received = Assert.IsType<CapacityChanged>(read);
        Assert.Equal(sent, received);
        Assert.Equal(before, BusMetrics.PoisonTotal);
    }
}
