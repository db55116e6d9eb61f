using System.Net;
using System.Net.Sockets;

namespace Recordings.Testing;

public static class FreePort
{
    // Below Linux's ephemeral range (32768-60999): a port the OS hands out for port 0 is also handed to outgoing
    // connections, so between our pick and the host's bind a busy test run could take it (seen: "address in use").
    private const int First = 20000;
    private const int Last = 32000;

    private static readonly HashSet<int> Given = [];
    private static readonly Lock Gate = new();

    /// <summary>A loopback port nobody listens on right now, never handed out twice by this process.</summary>
    public static int Next()
    {
        lock (Gate)
        {
            while (true)
            {
                var port = Random.Shared.Next(First, Last);
                if (Given.Contains(port) || !IsFree(port))
                {
                    continue;
                }

                Given.Add(port);
                return port;
            }
        }
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
