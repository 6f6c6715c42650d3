using System.Collections;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Google.Protobuf.WellKnownTypes;

namespace Marketplace.Integration.Tests.Hostile;

// A field reached from a request through nested messages, e.g. "offer.availability.start".
sealed record FieldPath(IReadOnlyList<FieldDescriptor> Fields)
{
    public FieldDescriptor Leaf => Fields[^1];

    // As the contract names it: "offer.availability.start"; "allowed_region_ids" for a repeated field.
    public string Name => string.Join(".", Fields.Select(f => f.Name));

    // With the index of a repeated field (set at index 0): "allowed_region_ids[0]".
    public string Indexed => string.Join(".", Fields.Select(f => f.IsRepeated ? f.Name + "[0]" : f.Name));

    public override string ToString() => Indexed;

    IEnumerable<string> Spellings => Name == Indexed ? [Name] : [Indexed, Name];

    // Does a status message name this field first ("window.start: ...", "allowed_region_ids[0]: ...")?
    public bool StartsMessage(string detail) =>
        Spellings.Any(name => detail.StartsWith(name, StringComparison.Ordinal) && detail.Length > name.Length && detail[name.Length] is ':' or ' ');

    // Does a status message name this field anywhere, as a whole path ("... window.start is ...")?
    public bool IsNamedIn(string detail) => Spellings.Any(name => Mentions(detail, name));

    // The `field` trailer names this field.
    public bool IsTrailer(string? field) => field is not null && Spellings.Contains(field);

    public static bool Mentions(string detail, string path)
    {
        for (var at = detail.IndexOf(path, StringComparison.Ordinal); at >= 0; at = detail.IndexOf(path, at + 1, StringComparison.Ordinal))
        {
            var before = at == 0 ? ' ' : detail[at - 1];
            var after = at + path.Length == detail.Length ? ' ' : detail[at + path.Length];
            if (!(char.IsLetterOrDigit(before) || before is '_' or '.') && !(char.IsLetterOrDigit(after) || after == '_'))
                return true;
        }
        return false;
    }

    // A request of `root` with nothing set but this field (and the messages on the way to it).
    public byte[] RequestWith(MessageDescriptor root, object leafValue)
    {
        var request = Empty(root);
        var parent = request;
        foreach (var field in Fields.Take(Fields.Count - 1))
        {
            var child = Empty(field.MessageType);
            Set(parent, field, child);
            parent = child;
        }
        Set(parent, Leaf, leafValue);
        return request.ToByteArray();
    }

    static IMessage Empty(MessageDescriptor type) => type.Parser.ParseFrom(ByteString.Empty);

    static void Set(IMessage message, FieldDescriptor field, object value)
    {
        if (field.IsRepeated)
            ((IList)field.Accessor.GetValue(message)).Add(value);
        else
            field.Accessor.SetValue(message, value);
    }

    // Every field of `root` whose leaf matches, through nested messages up to `maxDepth` fields deep.
    public static IReadOnlyList<FieldPath> In(MessageDescriptor root, Func<FieldDescriptor, bool> leaf, int maxDepth = 4)
    {
        var found = new List<FieldPath>();
        Walk(root, [], leaf, maxDepth, found);
        return found;
    }

    static void Walk(MessageDescriptor type, List<FieldDescriptor> path, Func<FieldDescriptor, bool> leaf, int maxDepth,
        List<FieldPath> found)
    {
        foreach (var field in type.Fields.InFieldNumberOrder())
        {
            if (field.IsMap)
                continue; // no request has a map today; a map key would need a path syntax of its own
            List<FieldDescriptor> here = [.. path, field];
            if (leaf(field))
                found.Add(new FieldPath(here));
            else if (field.FieldType == FieldType.Message && !IsWellKnown(field.MessageType) && here.Count < maxDepth
                     && path.All(p => p.MessageType != field.MessageType)) // a recursive message is walked once
                Walk(field.MessageType, here, leaf, maxDepth, found);
        }
    }

    static bool IsWellKnown(MessageDescriptor type) => type.File.Package == "google.protobuf";

    public static bool IsString(FieldDescriptor f) => f.FieldType == FieldType.String;

    public static bool IsTimestamp(FieldDescriptor f) => f.FieldType == FieldType.Message && f.MessageType == Timestamp.Descriptor;

    public static bool IsDuration(FieldDescriptor f) => f.FieldType == FieldType.Message && f.MessageType == Duration.Descriptor;
}
