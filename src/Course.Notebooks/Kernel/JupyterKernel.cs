using System.Text.Json.Nodes;
using Course.Notebooks.Engine;
using NetMQ;

namespace Course.Notebooks.Kernel;

/// <summary>
/// A Jupyter kernel (messaging protocol 5.3) around an <see cref="ICodeSession"/>.
/// Threads: one owns the shell, control, stdin and IOPub sockets (<see cref="KernelSockets"/>); the heartbeat
/// has its own; shell requests are handled one at a time on the shell thread (cells run there), control requests
/// on the control thread, so interrupt and shutdown are answered while a cell runs. Every request, on either
/// channel, is framed by status busy and idle with the request as parent, as ipykernel does.
/// </summary>
public sealed class JupyterKernel : IDisposable
{
    private readonly KernelSockets _sockets;
    private readonly Heartbeat _heartbeat;
    private readonly MessageSender _sender;
    private readonly Interrupts _interrupts = new();
    private readonly StdinBridge _stdin;
    private readonly RequestLoop _shell = new("jupyter shell"), _control = new("jupyter control");
    private readonly ExecuteHandler _execute;
    private readonly CodeAssistHandlers _assist;
    private readonly TaskCompletionSource _shutdown = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private IDisposable? _parentWatch;

    public JupyterKernel(ConnectionInfo connection, ICodeSession session)
    {
        _sockets = new KernelSockets(connection, new WireFormat(new MessageSigner(connection.Key)));
        _heartbeat = new Heartbeat(connection);
        _sender = new MessageSender(_sockets.Send, Guid.NewGuid().ToString());
        _stdin = new StdinBridge(_sender);
        _execute = new ExecuteHandler(session, _sender, _stdin, _interrupts, AbortQueued);
        _assist = new CodeAssistHandlers(session);
        _sockets.Received += Route;
    }

    /// <summary>Serves until a shutdown_request has been answered; returns the process exit code.</summary>
    public int Run()
    {
        _interrupts.HandleSigint();
        _parentWatch = ParentWatch.Start("JPY_PARENT_PID", () =>
        {
            KernelLog.Write("the process that started this kernel is gone; exiting");
            _shutdown.TrySetResult();
        });
        _shell.Start();
        _control.Start();
        _heartbeat.Start();
        _sockets.Start();
        _sender.Status("starting", null);
        _shutdown.Task.Wait();
        // Everything answered so far (shutdown_reply, the last idle) must reach ZeroMQ before the sockets close;
        // their linger then gives it a moment to leave.
        _sockets.FlushAsync().Wait(TimeSpan.FromSeconds(5));
        return 0;
    }

    /// <summary>On the sockets' thread: hand each request to its channel's thread; input replies to the waiting cell.</summary>
    private void Route(Channel channel, JupyterMessage message)
    {
        switch (channel)
        {
            case Channel.Shell: _shell.Add(() => Handle(Channel.Shell, message)); break;
            case Channel.Control: _control.Add(() => Handle(Channel.Control, message)); break;
            case Channel.Stdin: _stdin.Deliver(message); break;
        }
    }

    /// <summary>After a failed cell: everything the shell socket already holds goes into the shell queue, then a
    /// marker that ends the aborting. Requests arriving later run normally.</summary>
    private void AbortQueued() => _sockets.Post(() =>
    {
        _sockets.DrainShell();
        _shell.Add(_execute.StopAborting);
    });

    private void Handle(Channel channel, JupyterMessage request)
    {
        _sender.Status("busy", request);
        try
        {
            Dispatch(channel, request);
        }
        catch (Exception e)
        {
            // A handler's bug must not leave the client waiting for a reply that never comes.
            KernelLog.Write($"{request.MsgType} failed: {e}");
            if (request.MsgType.EndsWith("_request", StringComparison.Ordinal))
                _sender.Reply(channel, request, MessageSender.ReplyType(request.MsgType), new JsonObject
                {
                    ["status"] = "error",
                    ["ename"] = e.GetType().Name,
                    ["evalue"] = e.Message,
                    ["traceback"] = new JsonArray(),
                });
        }
        finally
        {
            _sender.Status("idle", request);
        }
        if (request.MsgType == "shutdown_request") _shutdown.TrySetResult();
    }

    private void Dispatch(Channel channel, JupyterMessage request)
    {
        var content = request.Content;
        JsonObject? reply = (request.MsgType, channel) switch
        {
            ("kernel_info_request", _) => KernelInfo.Content(),
            ("shutdown_request", _) => Shutdown(request),
            ("interrupt_request", Channel.Control) => Interrupt(),
            ("execute_request", Channel.Shell) => Execute(request),
            ("is_complete_request", Channel.Shell) => _assist.IsComplete(content),
            ("complete_request", Channel.Shell) => _assist.Complete(content),
            ("inspect_request", Channel.Shell) => _assist.Inspect(content),
            // No comm targets and no history are kept: both answers are well-formed and empty.
            ("comm_info_request", Channel.Shell) => new JsonObject { ["status"] = "ok", ["comms"] = new JsonObject() },
            ("history_request", Channel.Shell) => new JsonObject { ["status"] = "ok", ["history"] = new JsonArray() },
            ("comm_open", Channel.Shell) => RefuseComm(request),
            ("comm_msg" or "comm_close", Channel.Shell) => null, // for comms never opened: nothing to do
            _ => Unknown(channel, request),
        };
        if (reply is not null) _sender.Reply(channel, request, MessageSender.ReplyType(request.MsgType), reply);
    }

    private JsonObject? Execute(JupyterMessage request)
    {
        _execute.Handle(request); // replies itself: its reply must follow the cell's IOPub output
        return null;
    }

    private JsonObject Interrupt()
    {
        _interrupts.Interrupt();
        return new JsonObject { ["status"] = "ok" };
    }

    private JsonObject Shutdown(JupyterMessage request)
    {
        var reply = new JsonObject { ["status"] = "ok", ["restart"] = ContentFields.Flag(request.Content, "restart", false) };
        // ipykernel also tells every IOPub listener, so other front ends on this kernel learn it is going.
        _sender.Publish("shutdown_reply", reply.DeepClone().AsObject(), request);
        return reply;
    }

    /// <summary>comm_open for a target this kernel does not have: closed at once, as ipykernel does.</summary>
    private JsonObject? RefuseComm(JupyterMessage request)
    {
        var id = ContentFields.Text(request.Content, "comm_id");
        KernelLog.Write($"no comm target '{ContentFields.Text(request.Content, "target_name")}'; closing comm {id}");
        _sender.Publish("comm_close", new JsonObject { ["comm_id"] = id, ["data"] = new JsonObject() }, request);
        return null;
    }

    private static JsonObject? Unknown(Channel channel, JupyterMessage request)
    {
        KernelLog.Write($"ignored {request.MsgType} on {channel.ToString().ToLowerInvariant()}: not handled by this kernel");
        return null;
    }

    public void Dispose()
    {
        _parentWatch?.Dispose();
        _interrupts.Dispose();
        _shell.Dispose();
        _control.Dispose();
        _heartbeat.Dispose();
        _sockets.Dispose();
        NetMQConfig.Cleanup(block: true); // waits out the sockets' linger so the last replies leave
    }
}
