"""Protocol cases for the course's C# Jupyter kernel, driven by Jupyter's own client (jupyter_client).

Usage: /usr/bin/python3 protocol_cases.py CASE
The kernelspec (default name course-csharp, or $COURSE_KERNEL_NAME) must be findable through JUPYTER_PATH;
the C# tests install it into a temporary folder. This script installs nothing. Each case starts one kernel with
KernelManager, checks what the messaging docs and ipykernel's behaviour promise, and exits non-zero with a clear
message at the first broken promise.
"""
import os
import queue
import signal
import sys
import time
import uuid

import zmq
from jupyter_client.manager import KernelManager
from jupyter_client.session import Session

KERNEL_NAME = os.environ.get("COURSE_KERNEL_NAME", "course-csharp")
TIMEOUT = 30  # seconds for any one answer; the first cell compiles Roslyn, which takes a few seconds on 2 cores


class CaseFailed(Exception):
    pass


def check(condition, message):
    if not condition:
        raise CaseFailed(message)


class Kernel:
    """One kernel for one case: started by KernelManager, with a blocking client on all channels."""

    def __enter__(self):
        self.km = KernelManager(kernel_name=KERNEL_NAME)
        self.km.start_kernel()
        self.kc = self.km.client()
        self.kc.start_channels()
        self.kc.wait_for_ready(timeout=60)
        self.drain_iopub()
        return self

    def __exit__(self, *exc):
        self.kc.stop_channels()
        if self.km.has_kernel and self.km.is_alive():
            self.km.shutdown_kernel(now=True)
        return False

    def drain_iopub(self, wait=0.2):
        """Messages already on IOPub (wait_for_ready's own kernel_info requests leave some)."""
        seen = []
        while True:
            try:
                seen.append(self.kc.get_iopub_msg(timeout=wait))
            except queue.Empty:
                return seen

    def send(self, channel, msg_type, content=None):
        msg = self.kc.session.msg(msg_type, content or {})
        getattr(self.kc, channel + "_channel").send(msg)
        return msg["header"]["msg_id"]

    def reply(self, msg_id, channel="shell"):
        """The reply on CHANNEL whose parent is MSG_ID; other replies are a protocol error here."""
        get = getattr(self.kc, "get_%s_msg" % channel)
        deadline = time.monotonic() + TIMEOUT
        while True:
            try:
                msg = get(timeout=max(0.1, deadline - time.monotonic()))
            except queue.Empty:
                raise CaseFailed("no reply on %s to request %s within %ss" % (channel, msg_id, TIMEOUT))
            if msg["parent_header"].get("msg_id") == msg_id:
                return msg
            if msg["msg_type"] == "kernel_info_reply" and channel == "shell":
                # wait_for_ready asks again every second until one reply arrives; on a loaded machine the answers
                # to its earlier requests come after that, and belong to no request of the case.
                continue
            raise CaseFailed("unexpected %s on %s (parent %s) while waiting for the reply to %s"
                             % (msg["msg_type"], channel, msg["parent_header"].get("msg_id"), msg_id))

    def iopub_until_idle(self, msg_id):
        """IOPub messages whose parent is MSG_ID, up to and including its status idle."""
        found = []
        deadline = time.monotonic() + TIMEOUT
        while True:
            try:
                msg = self.kc.get_iopub_msg(timeout=max(0.1, deadline - time.monotonic()))
            except queue.Empty:
                raise CaseFailed("no status idle for %s within %ss; IOPub had %s"
                                 % (msg_id, TIMEOUT, [m["msg_type"] for m in found]))
            if msg["parent_header"].get("msg_id") != msg_id:
                continue
            found.append(msg)
            if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
                return found

    def execute(self, code, **options):
        """Runs CODE; returns (execute_reply, IOPub messages of the request)."""
        msg_id = self.kc.execute(code, **options)
        outputs = self.iopub_until_idle(msg_id)
        return self.reply(msg_id), outputs

    def value(self, code, **options):
        """The text/plain execute_result of CODE, which must succeed."""
        reply, outputs = self.execute(code, **options)
        check(reply["content"]["status"] == "ok", "%r failed: %s" % (code, reply["content"]))
        results = [m for m in outputs if m["msg_type"] == "execute_result"]
        check(len(results) == 1, "%r should give one execute_result, got %s" % (code, types(outputs)))
        return results[0]["content"]["data"]["text/plain"]


def types(messages):
    return [m["msg_type"] for m in messages]


def of_type(messages, msg_type):
    return [m for m in messages if m["msg_type"] == msg_type]


def check_busy_idle(outputs, what):
    states = [m["content"]["execution_state"] for m in outputs if m["msg_type"] == "status"]
    check(states == ["busy", "idle"], "%s: expected status busy then idle, got %s" % (what, states))
    check(outputs[0]["msg_type"] == "status" and outputs[-1]["msg_type"] == "status",
          "%s: busy must come first and idle last on IOPub, got %s" % (what, types(outputs)))


def wait_for_exit(km, seconds=10):
    deadline = time.monotonic() + seconds
    while km.is_alive():
        check(time.monotonic() < deadline, "the kernel process was still alive %ss after shutdown_reply" % seconds)
        time.sleep(0.1)
    return km.provisioner.process.returncode


# ---------------------------------------------------------------------------------------------------- the cases

def case_kernel_info(k):
    for channel in ("shell", "control"):
        msg_id = k.send(channel, "kernel_info_request")
        reply = k.reply(msg_id, channel)
        content = reply["content"]
        check(reply["msg_type"] == "kernel_info_reply", "%s: reply type %s" % (channel, reply["msg_type"]))
        check(reply["header"]["version"] == "5.3", "header version %r, expected 5.3" % reply["header"]["version"])
        check(content["status"] == "ok", "status %r" % content.get("status"))
        check(content["protocol_version"] == "5.3", "protocol_version %r" % content.get("protocol_version"))
        check(content["implementation"] == "course-csharp", "implementation %r" % content.get("implementation"))
        info = content["language_info"]
        expected = {"name": "csharp", "mimetype": "text/x-csharp", "file_extension": ".cs",
                    "pygments_lexer": "csharp", "codemirror_mode": "text/x-csharp"}
        for key, value in expected.items():
            check(info.get(key) == value, "language_info.%s is %r, expected %r" % (key, info.get(key), value))
        check(isinstance(info.get("version"), str) and info["version"], "language_info.version missing")
        check(isinstance(content.get("banner"), str) and content["banner"], "banner missing")
        check(isinstance(content.get("help_links"), list), "help_links missing")
        check_busy_idle(k.iopub_until_idle(msg_id), "kernel_info_request on " + channel)
    # The heartbeat echoes what it is sent, as jupyter_client's heartbeat channel (a REQ socket) expects.
    info = k.km.get_connection_info()
    heartbeat = zmq.Context.instance().socket(zmq.REQ)
    heartbeat.linger = 0
    heartbeat.connect("%s://%s:%s" % (info["transport"], info["ip"], info["hb_port"]))
    heartbeat.send(b"ping")
    check(heartbeat.poll(5000) and heartbeat.recv() == b"ping", "the heartbeat did not echo b'ping' within 5 s")
    heartbeat.close()


def case_state(k):
    reply, outputs = k.execute("var total = 20;")
    check(reply["content"]["status"] == "ok", "declaring a variable failed: %s" % reply["content"])
    first = reply["content"]["execution_count"]
    inputs = of_type(outputs, "execute_input")
    check(len(inputs) == 1 and inputs[0]["content"]["code"] == "var total = 20;", "execute_input missing or wrong: %s" % inputs)
    check(inputs[0]["content"]["execution_count"] == first, "execute_input's execution_count differs from the reply's")
    check(k.value("total * 2 + 2") == "42", "the second cell did not see the first cell's variable")
    reply, _ = k.execute("total")
    check(reply["content"]["execution_count"] == first + 2, "execution_count should grow by one per cell")


def case_streams(k):
    reply, outputs = k.execute('Console.WriteLine("to stdout"); Console.Error.WriteLine("to stderr");')
    check(reply["content"]["status"] == "ok", "printing failed: %s" % reply["content"])
    text = {}
    for m in of_type(outputs, "stream"):
        text[m["content"]["name"]] = text.get(m["content"]["name"], "") + m["content"]["text"]
    check(text.get("stdout") == "to stdout\n", "stdout stream: %r" % text.get("stdout"))
    check(text.get("stderr") == "to stderr\n", "stderr stream: %r" % text.get("stderr"))
    check(not of_type(outputs, "execute_result"), "a cell ending in a statement has no execute_result")


def case_execute_result(k):
    reply, outputs = k.execute("6 * 7")
    results = of_type(outputs, "execute_result")
    check(len(results) == 1, "expected one execute_result, got %s" % types(outputs))
    content = results[0]["content"]
    check(content["data"].get("text/plain") == "42", "execute_result data: %s" % content["data"])
    check(content["execution_count"] == reply["content"]["execution_count"], "execute_result's execution_count differs from the reply's")
    check(isinstance(content.get("metadata"), dict), "execute_result needs metadata")


def case_errors(k):
    check(k.execute("var kept = 5;")[0]["content"]["status"] == "ok", "setup cell failed")
    for code, what in (("int broken = ;", "compile error"), ('throw new InvalidOperationException("boom");', "runtime exception")):
        reply, outputs = k.execute(code)
        content = reply["content"]
        check(content["status"] == "error", "%s: reply status %r" % (what, content["status"]))
        for key in ("ename", "evalue", "traceback", "execution_count"):
            check(key in content, "%s: execute_reply lacks %s" % (what, key))
        errors = of_type(outputs, "error")
        check(len(errors) == 1, "%s: expected one error message on IOPub, got %s" % (what, types(outputs)))
        check(isinstance(errors[0]["content"]["traceback"], list) and errors[0]["content"]["traceback"],
              "%s: the traceback must be a non-empty list (front ends show only it)" % what)
        check_busy_idle(outputs, what)
    check("InvalidOperationException" in content["ename"] and "boom" in content["evalue"],
          "runtime error reported as %s: %s" % (content["ename"], content["evalue"]))
    check(k.value("kept + 1") == "6", "after the errors the kernel lost its state or stopped answering")


def case_busy_idle(k):
    requests = [
        ("shell", "kernel_info_request", {}),
        ("control", "kernel_info_request", {}),
        ("shell", "execute_request", {"code": "1 + 1", "silent": False, "store_history": True,
                                      "user_expressions": {}, "allow_stdin": False, "stop_on_error": True}),
        ("shell", "is_complete_request", {"code": "int a = 1;"}),
        ("shell", "complete_request", {"code": "Console.Wr", "cursor_pos": 10}),
        ("shell", "inspect_request", {"code": "Console", "cursor_pos": 3, "detail_level": 0}),
        ("shell", "comm_info_request", {}),
        ("shell", "history_request", {"output": False, "raw": True, "hist_access_type": "tail", "n": 10}),
    ]
    for channel, msg_type, content in requests:
        msg_id = k.send(channel, msg_type, content)
        reply = k.reply(msg_id, channel)
        check(reply["msg_type"] == msg_type.replace("_request", "_reply"), "%s answered with %s" % (msg_type, reply["msg_type"]))
        expected = "complete" if msg_type == "is_complete_request" else "ok"  # is_complete's status is its answer
        check(reply["content"].get("status") == expected, "%s: status %r" % (msg_type, reply["content"].get("status")))
        check_busy_idle(k.iopub_until_idle(msg_id), msg_type + " on " + channel)
    comm_id = uuid.uuid4().hex
    msg_id = k.send("shell", "comm_open", {"comm_id": comm_id, "target_name": "no.such.target", "data": {}})
    outputs = k.iopub_until_idle(msg_id)
    check_busy_idle([m for m in outputs if m["msg_type"] == "status"], "comm_open")
    closes = of_type(outputs, "comm_close")
    check(len(closes) == 1 and closes[0]["content"]["comm_id"] == comm_id,
          "comm_open for an unknown target should be answered by comm_close on IOPub, got %s" % types(outputs))
    check(outputs[0]["msg_type"] == "status" and outputs[-1]["msg_type"] == "status", "comm_open: busy/idle must frame comm_close")


def case_bad_signature(k):
    info = k.km.get_connection_info()
    endpoint = "%s://%s:%s" % (info["transport"], info["ip"], info["shell_port"])
    context = zmq.Context.instance()
    forged_ids = []
    for key, what in ((b"not-the-kernel-key", "a wrong key"), (b"", "no signature")):
        session = Session(key=key, signature_scheme="hmac-sha256", username="intruder")
        socket = context.socket(zmq.DEALER)
        socket.linger = 0
        socket.connect(endpoint)
        msg = session.msg("execute_request", {"code": 'var forged = 1; Console.WriteLine("forged ran");', "silent": False,
                                              "store_history": True, "user_expressions": {}, "allow_stdin": False,
                                              "stop_on_error": True})
        session.send(socket, msg)
        forged_ids.append(msg["header"]["msg_id"])
        check(socket.poll(1000) == 0, "the kernel answered a message signed with %s" % what)
        socket.close()
    # The kernel still answers correctly, and the forged cells never ran.
    check(k.value("1 + 1") == "2", "the kernel stopped answering after forged messages")
    reply, _ = k.execute("forged")
    check(reply["content"]["status"] == "error", "a variable declared by a forged message exists: the kernel executed it")
    leaked = [m for m in k.drain_iopub(0.5) if m["parent_header"].get("msg_id") in forged_ids]
    check(not leaked, "the kernel published for a forged message: %s" % types(leaked))


def case_is_complete(k):
    expected = [("int a = 1;", "complete"), ("for (int i = 0; i < 3; i++) {", "incomplete"), ("int a = ;", "invalid")]
    for code, status in expected:
        msg_id = k.send("shell", "is_complete_request", {"code": code})
        content = k.reply(msg_id)["content"]
        check(content["status"] == status, "is_complete(%r) is %r, expected %r" % (code, content["status"], status))
        if status == "incomplete":
            check(isinstance(content.get("indent"), str), "an incomplete reply needs an indent string")


def case_complete(k):
    # The emoji is one code point but two UTF-16 units: the cursor must come back in code points.
    for code in ("Console.Wr", 'var smile = "\U0001F600"; smile.Len'):
        cursor = len(code)  # Python counts code points, as the protocol does
        msg_id = k.send("shell", "complete_request", {"code": code, "cursor_pos": cursor})
        content = k.reply(msg_id)["content"]
        check(content["status"] == "ok", "complete_request status %r" % content["status"])
        check(isinstance(content["matches"], list) and all(isinstance(m, str) for m in content["matches"]),
              "matches must be a list of strings: %r" % content["matches"])
        check(0 <= content["cursor_start"] <= content["cursor_end"] == cursor,
              "cursor_start/cursor_end %s/%s for a cursor at %s in %r" % (content["cursor_start"], content["cursor_end"], cursor, code))
        check(isinstance(content.get("metadata"), dict), "complete_reply needs metadata")


def case_stdin(k):
    code = 'var name = Console.ReadLine(); Console.WriteLine($"hello {name}");'
    msg_id = k.kc.execute(code, allow_stdin=True)
    try:
        request = k.kc.get_stdin_msg(timeout=TIMEOUT)
    except queue.Empty:
        raise CaseFailed("no input_request on stdin for Console.ReadLine with allow_stdin")
    check(request["msg_type"] == "input_request", "stdin got %s" % request["msg_type"])
    check(request["parent_header"]["msg_id"] == msg_id, "input_request's parent is not the execute_request")
    check(request["content"].get("password") is False, "input_request.password should be false")
    k.kc.input("course")
    outputs = k.iopub_until_idle(msg_id)
    reply = k.reply(msg_id)
    check(reply["content"]["status"] == "ok", "the cell reading input failed: %s" % reply["content"])
    printed = "".join(m["content"]["text"] for m in of_type(outputs, "stream"))
    check(printed == "hello course\n", "the cell printed %r after reading 'course'" % printed)
    # Without allow_stdin there is no one to ask: ReadLine sees the end of input (the blocking client allows by default).
    check(k.value("Console.ReadLine() == null", allow_stdin=False) == "True", "without allow_stdin Console.ReadLine should return null")


def case_silent(k):
    check(k.execute("var s = 1;")[0]["content"]["execution_count"] == 1, "the first cell should be In [1]")
    reply, outputs = k.execute("s + 1", silent=True)
    check(reply["content"]["status"] == "ok", "silent execution failed")
    check(types(outputs) == ["status", "status"], "a silent request publishes only busy/idle, got %s" % types(outputs))
    check(reply["content"]["execution_count"] == 1, "silent requests must not count")
    reply, outputs = k.execute("s + 2", store_history=False)
    check(of_type(outputs, "execute_result"), "store_history=False still shows the result")
    check(reply["content"]["execution_count"] == 1, "store_history=False must not count")
    check(k.execute("s")[0]["content"]["execution_count"] == 2, "a normal request after them is In [2]")


def case_stop_on_error(k):
    # The failing cell sleeps first, so the two requests after it have surely arrived (been sent before the error)
    # even when a busy machine delays this client between its sends.
    codes = ['System.Threading.Thread.Sleep(1000); throw new Exception("first");', "var second = 2;", "var third = 3;"]
    ids = [k.kc.execute(code) for code in codes]
    statuses = [k.reply(msg_id)["content"]["status"] for msg_id in ids]
    check(statuses == ["error", "aborted", "aborted"],
          "requests queued behind a failing cell should be aborted, as in ipykernel; got %s" % statuses)
    for msg_id in ids:
        check_busy_idle([m for m in k.iopub_until_idle(msg_id) if m["msg_type"] == "status"], "an aborted request")
    check(k.value("2 + 2") == "4", "requests sent after the error must run")
    check(k.execute("second")[0]["content"]["status"] == "error", "an aborted cell ran")
    # stop_on_error=False: the next queued request runs.
    ids = [k.kc.execute('throw new Exception("again");', stop_on_error=False), k.kc.execute("var runs = 1;")]
    statuses = [k.reply(msg_id)["content"]["status"] for msg_id in ids]
    check(statuses == ["error", "ok"], "with stop_on_error=False nothing is aborted; got %s" % statuses)


def case_interrupt(k):
    msg_id = k.kc.execute('Console.WriteLine("looping"); while (true) { }')
    deadline = time.monotonic() + TIMEOUT
    while True:  # interrupt only once the loop runs (before that, cancelling compilation would be too easy)
        check(time.monotonic() < deadline, "the endless cell never started")
        try:
            msg = k.kc.get_iopub_msg(timeout=1)
        except queue.Empty:
            continue
        if msg["parent_header"].get("msg_id") == msg_id and msg["msg_type"] == "stream":
            break
    time.sleep(0.5)
    k.km.interrupt_kernel()
    reply = k.reply(msg_id)
    check(reply["content"]["status"] == "error", "an interrupted cell's reply status is %r, expected error" % reply["content"]["status"])
    check(k.value("1 + 1") == "2", "the kernel does not answer after an interrupt")


def case_interrupt_input(k):
    """Interrupting a cell that waits at Console.ReadLine, by interrupt_request (the kernelspec's interrupt_mode)
    and by SIGINT, which must not kill the process. Needs no engine support: the wait itself is cancelled."""
    for how in ("interrupt_request", "SIGINT"):
        msg_id = k.kc.execute("Console.ReadLine()", allow_stdin=True)
        try:
            request = k.kc.get_stdin_msg(timeout=TIMEOUT)
        except queue.Empty:
            raise CaseFailed("no input_request for Console.ReadLine")
        check(request["parent_header"]["msg_id"] == msg_id, "input_request's parent is not the execute_request")
        if how == "SIGINT":
            k.km.signal_kernel(signal.SIGINT)
        else:
            k.km.interrupt_kernel()
        reply = k.reply(msg_id)
        check(reply["content"]["status"] == "error", "%s: the interrupted cell's reply status is %r, expected error" % (how, reply["content"]["status"]))
        k.iopub_until_idle(msg_id)
        check(k.km.is_alive(), "%s ended the kernel process" % how)
        check(k.value("1 + 1", allow_stdin=False) == "2", "the kernel does not answer after %s" % how)


def case_shutdown(k):
    check(k.value("1 + 1") == "2", "the kernel did not run a cell before shutdown")
    msg_id = k.send("control", "shutdown_request", {"restart": False})
    reply = k.reply(msg_id, "control")
    check(reply["content"] == {"status": "ok", "restart": False}, "shutdown_reply content: %s" % reply["content"])
    code = wait_for_exit(k.km)
    check(code == 0, "the kernel should exit cleanly (code 0) after shutdown, got %s" % code)


def case_shutdown_on_shell(k):
    msg_id = k.send("shell", "shutdown_request", {"restart": False})
    check(k.reply(msg_id)["content"]["status"] == "ok", "shutdown_request on shell was not answered")
    check(wait_for_exit(k.km) == 0, "the kernel should exit cleanly after shutdown_request on shell")


def case_restart(k):
    check(k.execute("var before = 1;")[0]["content"]["status"] == "ok", "setup cell failed")
    old_pid = k.km.provisioner.process.pid
    k.km.restart_kernel(now=False)
    k.kc.wait_for_ready(timeout=60)
    check(k.km.provisioner.process.pid != old_pid, "restart_kernel did not start a new process")
    k.drain_iopub()
    reply, _ = k.execute("before")
    check(reply["content"]["status"] == "error", "a variable survived the restart")
    check(k.value("1 + 1") == "2", "the restarted kernel does not run cells")


CASES = {name[len("case_"):]: fn for name, fn in globals().items() if name.startswith("case_")}


def main():
    if len(sys.argv) != 2 or sys.argv[1] not in CASES:
        print("usage: protocol_cases.py CASE, with CASE one of: " + ", ".join(sorted(CASES)), file=sys.stderr)
        return 2
    name = sys.argv[1]
    started = time.monotonic()
    try:
        with Kernel() as kernel:
            CASES[name](kernel)
    except CaseFailed as failure:
        print("FAILED %s: %s" % (name, failure), file=sys.stderr)
        return 1
    print("passed %s in %.1fs" % (name, time.monotonic() - started))
    return 0


if __name__ == "__main__":
    sys.exit(main())
