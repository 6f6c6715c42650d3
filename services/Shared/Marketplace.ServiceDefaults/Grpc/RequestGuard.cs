using System.Collections.Concurrent;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Google.Protobuf.WellKnownTypes;
using Marketplace.ServiceDefaults.Errors;

namespace Marketplace.ServiceDefaults.Grpc;

// Limits every request of every service meets before any handler sees it, whatever its type: no string
// longer than MaxString characters, no list longer than MaxItems, every Timestamp and Duration within
// the range protobuf defines. A breach names the field's path ("window.start", "datacenter.name").
//
// Every call of every service passes here, so a request that keeps the limits costs no allocation: only
// the fields that can break one are looked at (GuardedFields), and a path is spelt out only for a breach,
// field by field as the breach leaves each level (Breach).
public static class RequestGuard
{
    public const int MaxString = 1024, MaxItems = 10_000;
    const int MaxDepth = 16;
    const long MinSeconds = -62_135_596_800, MaxSeconds = 253_402_300_799; // 0001-01-01 .. 9999-12-31
    const long MaxDurationSeconds = 315_576_000_000;

    static readonly ConcurrentDictionary<MessageDescriptor, FieldDescriptor[]> Guarded = new();

    public static void Check(IMessage message)
    {
        try
        {
            Check(message, 0);
        }
        catch (Breach breach)
        {
            throw new InvalidFieldException(breach.Path, breach.Problem);
        }
    }

    static void Check(IMessage message, int depth)
    {
        if (depth > MaxDepth)
            throw new Breach("nests too deep");
        switch (message)
        {
            case Timestamp t:
                if (t.Seconds is < MinSeconds or > MaxSeconds || t.Nanos is < 0 or > 999_999_999)
                    throw new Breach("is not a valid timestamp (0001-01-01 to 9999-12-31 UTC, nanos 0 to 999,999,999)");
                return;
            case Duration d:
                if (Math.Abs(d.Seconds) > MaxDurationSeconds || Math.Abs(d.Nanos) > 999_999_999 || (d.Seconds != 0 && d.Nanos != 0 && Math.Sign(d.Seconds) != Math.Sign(d.Nanos)))
                    throw new Breach("is not a valid duration");
                return;
        }
        foreach (var field in Guarded.GetOrAdd(message.Descriptor, GuardedFields))
        {
            var value = field.Accessor.GetValue(message);
            if (field.IsMap)
                CheckMap(field, (System.Collections.IDictionary)value, depth);
            else if (field.IsRepeated)
                CheckList(field, (System.Collections.IList)value, depth);
            else
            {
                try
                {
                    CheckValue(field.FieldType, value, depth);
                }
                catch (Breach breach)
                {
                    throw breach.At(field.Name);
                }
            }
        }
    }

    static void CheckList(FieldDescriptor field, System.Collections.IList list, int depth)
    {
        if (list.Count > MaxItems)
            throw new Breach($"has {list.Count} items; at most {MaxItems}").At(field.Name);
        for (var i = 0; i < list.Count; i++)
        {
            try
            {
                CheckValue(field.FieldType, list[i], depth);
            }
            catch (Breach breach)
            {
                throw breach.At($"{field.Name}[{i}]");
            }
        }
    }

    static void CheckMap(FieldDescriptor field, System.Collections.IDictionary map, int depth)
    {
        if (map.Count > MaxItems)
            throw new Breach($"has {map.Count} entries; at most {MaxItems}").At(field.Name);
        var keyType = field.MessageType.FindFieldByNumber(1).FieldType;
        var valueType = field.MessageType.FindFieldByNumber(2).FieldType;
        foreach (System.Collections.DictionaryEntry entry in map)
        {
            try
            {
                CheckValue(keyType, entry.Key, depth);
            }
            catch (Breach breach)
            {
                throw breach.At(field.Name + ".key");
            }
            try
            {
                CheckValue(valueType, entry.Value, depth);
            }
            catch (Breach breach)
            {
                throw breach.At(field.Name + ".value");
            }
        }
    }

    static void CheckValue(FieldType type, object? value, int depth)
    {
        switch (type)
        {
            case FieldType.String when value is string { Length: > MaxString } text:
                throw new Breach($"is {text.Length} characters; at most {MaxString}");
            case FieldType.Bytes when value is ByteString { Length: > MaxString * 64 } bytes:
                throw new Breach($"is {bytes.Length} bytes; at most {MaxString * 64}");
            case FieldType.Message or FieldType.Group when value is IMessage nested:
                Check(nested, depth + 1);
                break;
        }
    }

    // The fields of a type that a request can break a limit with, in field number order (the first breach
    // is the one reported): strings, bytes, lists, maps and messages; a lone number or enum cannot.
    static FieldDescriptor[] GuardedFields(MessageDescriptor type) => type.Fields.InFieldNumberOrder()
        .Where(f => f.IsMap || f.IsRepeated || f.FieldType is FieldType.String or FieldType.Bytes or FieldType.Message or FieldType.Group)
        .ToArray();

    // A limit broken somewhere below: the path is put together as the breach passes each field on its way out.
    sealed class Breach(string problem) : Exception(problem)
    {
        readonly Stack<string> _fields = new();

        public string Problem => Message;
        public string Path => _fields.Count == 0 ? "request" : string.Join('.', _fields);

        public Breach At(string field)
        {
            _fields.Push(field);
            return this;
        }
    }
}
