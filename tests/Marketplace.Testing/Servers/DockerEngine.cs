using System.Net.Sockets;

namespace Marketplace.Testing.Servers;

public static class DockerEngine
{
    // A docker CLI or socket file alone proves nothing: only an engine that answers /_ping counts.
    public static async Task<bool> IsAvailableAsync(CancellationToken ct = default)
    {
        var host = Environment.GetEnvironmentVariable("DOCKER_HOST");
        string[] candidates = !string.IsNullOrWhiteSpace(host) ? [host.Trim()] :
        [
            "unix:///var/run/docker.sock",
            $"unix://{Environment.GetEnvironmentVariable("XDG_RUNTIME_DIR")}/docker.sock",
            $"unix://{Environment.GetFolderPath(Environment.SpecialFolder.UserProfile)}/.docker/run/docker.sock",
        ];
        foreach (var endpoint in candidates)
            if (await PingAsync(endpoint, ct)) return true;
        return false;
    }

    static async Task<bool> PingAsync(string endpoint, CancellationToken ct)
    {
        var handler = new SocketsHttpHandler();
        Uri baseUri;
        if (endpoint.StartsWith("unix://", StringComparison.Ordinal))
        {
            var path = endpoint["unix://".Length..];
            if (!File.Exists(path)) return false;
            handler.ConnectCallback = async (_, token) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                try { await socket.ConnectAsync(new UnixDomainSocketEndPoint(path), token); return new NetworkStream(socket, ownsSocket: true); }
                catch { socket.Dispose(); throw; }
            };
            baseUri = new Uri("http://docker/");
        }
        else if (Uri.TryCreate(endpoint.Replace("tcp://", "http://"), UriKind.Absolute, out var uri)) baseUri = uri;
        else return false;

        using var http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(2) };
        try
        {
            using var response = await http.GetAsync(new Uri(baseUri, "_ping"), ct);
            return response.IsSuccessStatusCode;
        }
        catch (Exception) when (!ct.IsCancellationRequested) { return false; }
    }
}
