using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;

namespace Marketplace.ServiceDefaults.Grpc;

// Where a service listens. gRPC without TLS needs HTTP/2 with prior knowledge, which Kestrel cannot offer
// on an endpoint that also speaks HTTP/1.1; so gRPC gets `urls` (HTTP/2 only) and the JSON routes of the
// public RPCs, for curl and browsers, get `JsonUrls` (HTTP/1.1), when configured.
public static class ServiceEndpoints
{
    public static void Configure(WebApplicationBuilder builder, int defaultPort)
    {
        var grpc = Split(builder.Configuration[WebHostDefaults.ServerUrlsKey]) is { Length: > 0 } given
            ? given
            : [$"http://127.0.0.1:{defaultPort}"];
        var json = Split(builder.Configuration["JsonUrls"]);
        builder.WebHost.UseUrls(); // the endpoints below replace them
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            foreach (var url in grpc)
                Listen(kestrel, url, HttpProtocols.Http2);
            foreach (var url in json)
                Listen(kestrel, url, HttpProtocols.Http1);
        });
    }

    static void Listen(KestrelServerOptions kestrel, string url, HttpProtocols protocols)
    {
        var uri = new Uri(url.Replace("://+", "://0.0.0.0").Replace("://*", "://0.0.0.0"));
        if (uri.Scheme != "http")
            throw new InvalidOperationException($"'{url}': this service serves plain HTTP; put TLS in front of it");
        var address = uri.Host == "localhost" ? IPAddress.Loopback : IPAddress.Parse(uri.Host);
        kestrel.Listen(address, uri.Port, endpoint => endpoint.Protocols = protocols);
    }

    static string[] Split(string? urls) =>
        (urls ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
