using System.Reflection;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Grpc.Core;
using Grpc.Net.Client;
using Grpc.Reflection.V1Alpha;

namespace Marketplace.Cli.Tests.Readme;

// What the README's grpcurl lines need of grpcurl, for a machine without it: `-plaintext`, `-d JSON`,
// `-H 'name: value'`, an address, then `list` (asked of the server's reflection service) or
// `package.Service/Method`, called with no code of its own per method: the request is parsed from JSON by
// the method's descriptor and the reply printed as JSON. Exit 0 with the reply, or the gRPC status's code.
public static class GrpcurlStandIn
{
    public sealed record Result(int ExitCode, string Output);

    static readonly Lazy<IReadOnlyDictionary<string, ServiceDescriptor>> Services = new(KnownServices);

    public static async Task<Result> RunAsync(IReadOnlyList<string> args, CancellationToken ct)
    {
        var (json, headers, rest) = ("{}", new Metadata(), new List<string>());
        for (var i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "-plaintext":
                    break;
                case "-d":
                    json = args[++i];
                    break;
                case "-H":
                    var header = args[++i];
                    var colon = header.IndexOf(':');
                    headers.Add(header[..colon].Trim().ToLowerInvariant(), header[(colon + 1)..].Trim());
                    break;
                default:
                    rest.Add(args[i]);
                    break;
            }
        }
        if (rest.Count != 2)
            throw new ArgumentException($"expected an address and a method or `list`, got: {string.Join(' ', rest)}");

        using var channel = GrpcChannel.ForAddress("http://" + rest[0]);
        var options = new CallOptions(headers, DateTime.UtcNow.AddSeconds(10), ct);
        try
        {
            return rest[1] == "list" ? await ListAsync(channel, options) : await CallAsync(channel, rest[1], json, options);
        }
        catch (RpcException e)
        {
            return new Result((int)e.StatusCode, $"ERROR: Code: {e.StatusCode} Message: {e.Status.Detail}");
        }
    }

    static async Task<Result> ListAsync(GrpcChannel channel, CallOptions options)
    {
        using var call = new ServerReflection.ServerReflectionClient(channel).ServerReflectionInfo(options);
        await call.RequestStream.WriteAsync(new ServerReflectionRequest { ListServices = "" });
        await call.RequestStream.CompleteAsync();
        await call.ResponseStream.MoveNext(options.CancellationToken);
        var names = call.ResponseStream.Current.ListServicesResponse.Service.Select(s => s.Name).Order(StringComparer.Ordinal);
        return new Result(0, string.Join('\n', names));
    }

    static async Task<Result> CallAsync(GrpcChannel channel, string fullMethod, string json, CallOptions options)
    {
        var slash = fullMethod.LastIndexOf('/');
        var service = Services.Value.GetValueOrDefault(fullMethod[..slash])
                      ?? throw new ArgumentException($"no service '{fullMethod[..slash]}' in the protos");
        var method = service.FindMethodByName(fullMethod[(slash + 1)..])
                     ?? throw new ArgumentException($"no method '{fullMethod}'");
        var bytes = Marshallers.Create(b => b, b => b);
        var request = JsonParser.Default.Parse(json, method.InputType);
        var reply = await channel.CreateCallInvoker().AsyncUnaryCall(
            new Method<byte[], byte[]>(MethodType.Unary, service.FullName, method.Name, bytes, bytes), null, options,
            request.ToByteArray());
        return new Result(0, JsonFormatter.Default.Format(method.OutputType.Parser.ParseFrom(reply)));
    }

    // Every service in the market's protos and the standard health service, by full name.
    static IReadOnlyDictionary<string, ServiceDescriptor> KnownServices()
    {
        var files = typeof(Marketplace.Provider.V1.ProviderService).Assembly.GetTypes()
            .Where(t => t.Name.EndsWith("Reflection", StringComparison.Ordinal))
            .Select(t => t.GetProperty("Descriptor", BindingFlags.Public | BindingFlags.Static)?.GetValue(null))
            .OfType<FileDescriptor>()
            .Append(Grpc.Health.V1.HealthReflection.Descriptor);
        return files.SelectMany(f => f.Services).ToDictionary(s => s.FullName);
    }
}
