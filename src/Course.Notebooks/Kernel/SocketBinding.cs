using NetMQ;

namespace Course.Notebooks.Kernel;

/// <summary>Binds a kernel socket to the connection file's loopback address and nowhere else.</summary>
internal static class SocketBinding
{
    public static void Bind(NetMQSocket socket, ConnectionInfo connection, int port, TimeSpan linger)
    {
        socket.Options.Linger = linger;
        if (connection.IsIPv6) socket.Options.IPv4Only = false;
        try { socket.Bind(connection.Endpoint(port)); }
        catch (NetMQException e)
        {
            throw new KernelStartupException($"Cannot listen on {connection.Endpoint(port)} ({e.Message}); another process holds the port, so start the kernel with a fresh connection file.");
        }
    }
}
