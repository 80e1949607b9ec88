using NetMQ;
using NetMQ.Sockets;

namespace Course.Notebooks.Kernel;

/// <summary>
/// The heartbeat socket: echoes every message back to its sender, on its own thread so a client sees the
/// process alive even while the other sockets' thread is busy.
/// </summary>
public sealed class Heartbeat : IDisposable
{
    private readonly RouterSocket _socket = new();
    private readonly NetMQPoller _poller;

    public Heartbeat(ConnectionInfo connection)
    {
        SocketBinding.Bind(_socket, connection, connection.HbPort, TimeSpan.Zero);
        // A ROUTER receives [identity, ..., payload]; sending the same frames back routes them to the sender.
        _socket.ReceiveReady += (_, e) =>
        {
            NetMQMessage? message = null;
            while (e.Socket.TryReceiveMultipartMessage(ref message))
            {
                e.Socket.TrySendMultipartMessage(message!);
                message = null;
            }
        };
        _poller = new NetMQPoller { _socket };
    }

    public void Start() => _poller.RunAsync("jupyter heartbeat", isBackgroundThread: true);

    public void Dispose()
    {
        if (_poller.IsRunning) _poller.Stop();
        _poller.Dispose();
        _socket.Dispose();
    }
}
