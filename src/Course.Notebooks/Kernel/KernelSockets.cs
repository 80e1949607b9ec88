using NetMQ;
using NetMQ.Sockets;

namespace Course.Notebooks.Kernel;

/// <summary>
/// Owns the shell, control and stdin ROUTER sockets and the IOPub PUB socket on one thread (a NetMQPoller),
/// because NetMQ sockets are not thread-safe. Other threads never touch a socket: they queue what to send, and
/// the poller thread signs nothing and blocks on nothing, so control and stdin stay responsive while a cell runs.
/// Received messages are verified here and handed to <see cref="Received"/> on the poller thread.
/// </summary>
public sealed class KernelSockets : IDisposable
{
    private readonly WireFormat _wire;
    private readonly RouterSocket _shell = new(), _control = new(), _stdin = new();
    private readonly PublisherSocket _iopub = new();
    private readonly NetMQQueue<Action> _work = new();
    private readonly NetMQPoller _poller;

    /// <summary>Called on the poller thread with each verified message; must return quickly.</summary>
    public event Action<Channel, JupyterMessage>? Received;

    public KernelSockets(ConnectionInfo connection, WireFormat wire)
    {
        _wire = wire;
        // A second of linger lets a last message (shutdown_reply) leave when the sockets close.
        var linger = TimeSpan.FromSeconds(1);
        SocketBinding.Bind(_shell, connection, connection.ShellPort, linger);
        SocketBinding.Bind(_control, connection, connection.ControlPort, linger);
        SocketBinding.Bind(_stdin, connection, connection.StdinPort, linger);
        SocketBinding.Bind(_iopub, connection, connection.IOPubPort, linger);
        _shell.ReceiveReady += (_, e) => Drain(Channel.Shell, e.Socket);
        _control.ReceiveReady += (_, e) => Drain(Channel.Control, e.Socket);
        _stdin.ReceiveReady += (_, e) => Drain(Channel.Stdin, e.Socket);
        _work.ReceiveReady += (_, e) =>
        {
            while (e.Queue.TryDequeue(out var action, TimeSpan.Zero)) action();
        };
        _poller = new NetMQPoller { _shell, _control, _stdin, _work };
    }

    public void Start() => _poller.RunAsync("jupyter sockets", isBackgroundThread: true);

    /// <summary>Queues <paramref name="message"/> for <paramref name="channel"/>; safe from any thread, keeps order.</summary>
    public void Send(Channel channel, JupyterMessage message)
    {
        var frames = _wire.Encode(message); // sign on the caller's thread; the poller thread only writes frames
        var topic = channel == Channel.IOPub ? $"kernel.{message.Header["session"]}.{message.MsgType}" : null;
        _work.Enqueue(() => Write(channel, frames, topic));
    }

    /// <summary>Runs <paramref name="action"/> on the poller thread after everything queued before it.</summary>
    public void Post(Action action) => _work.Enqueue(action);

    /// <summary>Completes once everything queued so far has been handed to ZeroMQ.</summary>
    public Task FlushAsync()
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _work.Enqueue(done.SetResult);
        return done.Task;
    }

    /// <summary>Reads whatever the shell socket already holds and delivers it, so it is queued ahead of what
    /// the caller does next (stop_on_error aborts exactly the requests that arrived before the error).
    /// Call on the poller thread only (from <see cref="Post"/>).</summary>
    public void DrainShell() => Drain(Channel.Shell, _shell);

    private void Drain(Channel channel, NetMQSocket socket)
    {
        NetMQMessage? raw = null;
        while (socket.TryReceiveMultipartMessage(ref raw))
        {
            var frames = raw!.Select(f => f.ToByteArray()).ToList();
            raw = null;
            var message = _wire.Decode(frames, out var problem);
            if (message is null)
            {
                KernelLog.Write($"dropped a message on {channel.ToString().ToLowerInvariant()}: {problem}");
                continue;
            }
            try { Received?.Invoke(channel, message); }
            catch (Exception e) { KernelLog.Write($"failed to dispatch {message.MsgType}: {e}"); }
        }
    }

    private void Write(Channel channel, List<byte[]> frames, string? topic)
    {
        var message = new NetMQMessage();
        // IOPub has no identities to route by; subscribers see a topic frame (jupyter_client subscribes to all).
        if (topic is not null) message.Append(topic);
        foreach (var frame in frames) message.Append(frame);
        NetMQSocket socket = channel switch
        {
            Channel.Shell => _shell,
            Channel.Control => _control,
            Channel.Stdin => _stdin,
            _ => _iopub,
        };
        // ROUTER drops messages for a peer that has gone; PUB drops when a subscriber is slow. Neither blocks.
        if (!socket.TrySendMultipartMessage(message))
            KernelLog.Write($"could not send on {channel.ToString().ToLowerInvariant()} (peer gone or queue full)");
    }

    public void Dispose()
    {
        if (_poller.IsRunning) _poller.Stop();
        _poller.Dispose();
        foreach (var socket in new NetMQSocket[] { _shell, _control, _stdin, _iopub }) socket.Dispose();
        _work.Dispose();
    }
}
