namespace Marketplace.Broker.Storage;

static class EmbeddedScript
{
    public static string Read(string name)
    {
        using var stream = typeof(EmbeddedScript).Assembly.GetManifestResourceStream($"Marketplace.Broker.Storage.{name}")
                           ?? throw new InvalidOperationException($"{name} is not embedded");
        return new StreamReader(stream).ReadToEnd();
    }
}
