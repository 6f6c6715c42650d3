using System.Globalization;
using Marketplace.ServiceDefaults.Errors;

namespace Marketplace.ServiceDefaults.Grpc;

// Offset paging for List RPCs: the page token is the offset of the next page, as this service gave it out.
public readonly record struct Page(long Offset, int Size)
{
    public static Page From(int pageSize, string pageToken, int defaultSize, int maxSize)
    {
        if (pageSize < 0 || pageSize > maxSize)
            throw new InvalidFieldException("page_size", $"must be within 0..{maxSize}");
        long offset = 0;
        if (pageToken.Length > 0 && (!long.TryParse(pageToken, NumberStyles.None, CultureInfo.InvariantCulture, out offset) || offset < 0))
            throw new InvalidFieldException("page_token", "is not a token this service gave out");
        return new Page(offset, pageSize == 0 ? defaultSize : pageSize);
    }

    // A full page may have more after it; a short one is the last.
    public string NextToken(int returned) =>
        returned == Size ? (Offset + Size).ToString(CultureInfo.InvariantCulture) : "";
}
