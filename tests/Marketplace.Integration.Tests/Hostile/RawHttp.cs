using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Marketplace.Integration.Tests.Hostile;

// HTTP/1.1 over a bare socket that reads the answer while it is still writing the body, as curl does:
// a server may answer 413 before the body is in, and HttpClient then reports only its failed write.
static class RawHttp
{
    public sealed record Answer(HttpStatusCode Status, string Body);

    public static async Task<Answer> PostAsync(Uri server, string path, string token, byte[] body, bool chunked, TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(server.Host, server.Port, cancel.Token);
        await using var stream = new NetworkStream(socket, ownsSocket: false);

        var head = $"POST {path} HTTP/1.1\r\nHost: {server.Authority}\r\nAuthorization: Bearer {token}\r\n" +
                   "Content-Type: application/json\r\nConnection: close\r\n" +
                   (chunked ? "Transfer-Encoding: chunked\r\n" : $"Content-Length: {body.Length}\r\n") + "\r\n";
        var writing = WriteAsync(stream, Encoding.ASCII.GetBytes(head), body, chunked, cancel.Token);

        var received = new MemoryStream();
        var buffer = new byte[64 * 1024];
        string? readError = null;
        try
        {
            int n;
            while (!IsComplete(received) && (n = await stream.ReadAsync(buffer, cancel.Token)) > 0)
                received.Write(buffer, 0, n);
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException)
        {
            readError = e.Message;
        }
        var writeError = await writing;
        return Parse(received.ToArray(), writeError ?? readError);
    }

    static async Task<string?> WriteAsync(Stream stream, byte[] head, byte[] body, bool chunked, CancellationToken ct)
    {
        try
        {
            await stream.WriteAsync(head, ct);
            for (var at = 0; at < body.Length; at += 64 * 1024)
            {
                var piece = body.AsMemory(at, Math.Min(64 * 1024, body.Length - at));
                if (chunked)
                    await stream.WriteAsync(Encoding.ASCII.GetBytes($"{piece.Length:X}\r\n"), ct);
                await stream.WriteAsync(piece, ct);
                if (chunked)
                    await stream.WriteAsync("\r\n"u8.ToArray(), ct);
            }
            if (chunked)
                await stream.WriteAsync("0\r\n\r\n"u8.ToArray(), ct);
            return null;
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException)
        {
            return e.Message; // the server stopped reading: expected once it has refused the body
        }
    }

    // The headers and as many bytes of body as their Content-Length says are all here (else: read to the
    // close, which "Connection: close" asks for).
    static bool IsComplete(MemoryStream received)
    {
        var text = Encoding.ASCII.GetString(received.GetBuffer(), 0, (int)received.Length);
        var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        if (end < 0)
            return false;
        var length = text[..end].Split("\r\n").FirstOrDefault(h => h.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase));
        return length is not null && received.Length >= end + 4 + int.Parse(length.Split(':')[1].Trim());
    }

    static Answer Parse(byte[] bytes, string? error)
    {
        var text = Encoding.UTF8.GetString(bytes);
        var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        if (!text.StartsWith("HTTP/1.1 ", StringComparison.Ordinal) || end < 0)
            return new Answer(0, $"no answer ({error ?? "connection closed"})");
        var body = text[(end + 4)..];
        if (text[..end].Contains("Transfer-Encoding: chunked", StringComparison.OrdinalIgnoreCase))
            body = Unchunk(body);
        return new Answer((HttpStatusCode)int.Parse(text[9..12]), body);
    }

    static string Unchunk(string chunked)
    {
        var body = new StringBuilder();
        for (var at = 0; at < chunked.Length;)
        {
            var line = chunked.IndexOf("\r\n", at, StringComparison.Ordinal);
            if (line < 0 || !int.TryParse(chunked[at..line], System.Globalization.NumberStyles.HexNumber, null, out var size) || size == 0)
                break;
            body.Append(chunked.AsSpan(line + 2, Math.Min(size, chunked.Length - line - 2)));
            at = line + 2 + size + 2;
        }
        return body.ToString();
    }
}
