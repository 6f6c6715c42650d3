namespace Marketplace.ServiceDefaults.Redis;

// A Lua script embedded beside the store that runs it: "<namespace of T>.<file>", as the SDK names an
// embedded resource in that folder.
public static class EmbeddedLua
{
    public static string Read<T>(string file)
    {
        var name = $"{typeof(T).Namespace}.{file}";
        using var stream = typeof(T).Assembly.GetManifestResourceStream(name)
                           ?? throw new InvalidOperationException($"{name} is not embedded");
        return new StreamReader(stream).ReadToEnd();
    }
}
