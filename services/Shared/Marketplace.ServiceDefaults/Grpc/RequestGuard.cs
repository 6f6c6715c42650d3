using Google.Protobuf;
using Google.Protobuf.Reflection;
using Google.Protobuf.WellKnownTypes;
using Marketplace.ServiceDefaults.Errors;

namespace Marketplace.ServiceDefaults.Grpc;

// Limits every request of every service meets before any handler sees it, whatever its type: no string
// longer than MaxString characters, no list longer than MaxItems, every Timestamp and Duration within
// the range protobuf defines. A breach names the field's path ("window.start", "datacenter.name").
public static class RequestGuard
{
    public const int MaxString = 1024, MaxItems = 10_000;
    const int MaxDepth = 16;
    const long MinSeconds = -62_135_596_800, MaxSeconds = 253_402_300_799; // 0001-01-01 .. 9999-12-31
    const long MaxDurationSeconds = 315_576_000_000;

    public static void Check(IMessage message) => Check(message, "", 0);

    static void Check(IMessage message, string path, int depth)
    {
        if (depth > MaxDepth)
            throw new InvalidFieldException(Trim(path), "nests too deep");
        switch (message)
        {
            case Timestamp t:
                if (t.Seconds is < MinSeconds or > MaxSeconds || t.Nanos is < 0 or > 999_999_999)
                    throw new InvalidFieldException(Trim(path), "is not a valid timestamp (0001-01-01 to 9999-12-31 UTC, nanos 0 to 999,999,999)");
                return;
            case Duration d:
                if (Math.Abs(d.Seconds) > MaxDurationSeconds || Math.Abs(d.Nanos) > 999_999_999 || (d.Seconds != 0 && d.Nanos != 0 && Math.Sign(d.Seconds) != Math.Sign(d.Nanos)))
                    throw new InvalidFieldException(Trim(path), "is not a valid duration");
                return;
        }
        foreach (var field in message.Descriptor.Fields.InFieldNumberOrder())
        {
            var at = path + field.Name;
            var value = field.Accessor.GetValue(message);
            if (field.IsMap)
                CheckMap(field, (System.Collections.IDictionary)value, at, depth);
            else if (field.IsRepeated)
            {
                var list = (System.Collections.IList)value;
                if (list.Count > MaxItems)
                    throw new InvalidFieldException(at, $"has {list.Count} items; at most {MaxItems}");
                for (var i = 0; i < list.Count; i++)
                    CheckValue(field.FieldType, list[i], $"{at}[{i}]", depth);
            }
            else
                CheckValue(field.FieldType, value, at, depth);
        }
    }

    static void CheckMap(FieldDescriptor field, System.Collections.IDictionary map, string at, int depth)
    {
        if (map.Count > MaxItems)
            throw new InvalidFieldException(at, $"has {map.Count} entries; at most {MaxItems}");
        var valueType = field.MessageType.FindFieldByNumber(2).FieldType;
        foreach (System.Collections.DictionaryEntry entry in map)
        {
            CheckValue(field.MessageType.FindFieldByNumber(1).FieldType, entry.Key, at + ".key", depth);
            CheckValue(valueType, entry.Value, at + ".value", depth);
        }
    }

    static void CheckValue(FieldType type, object? value, string at, int depth)
    {
        switch (type)
        {
            case FieldType.String when value is string { Length: > MaxString } text:
                throw new InvalidFieldException(at, $"is {text.Length} characters; at most {MaxString}");
            case FieldType.Bytes when value is ByteString { Length: > MaxString * 64 } bytes:
                throw new InvalidFieldException(at, $"is {bytes.Length} bytes; at most {MaxString * 64}");
            case FieldType.Message or FieldType.Group when value is IMessage nested:
                Check(nested, at + ".", depth + 1);
                break;
        }
    }

    static string Trim(string path) => path.Length == 0 ? "request" : path.TrimEnd('.');
}
