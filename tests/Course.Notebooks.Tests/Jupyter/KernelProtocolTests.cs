namespace Course.Notebooks.Tests.Jupyter;

/// <summary>
/// The kernel as Jupyter's own client sees it: each test runs one case of kernel/protocol_cases.py, which starts
/// the kernel with jupyter_client's KernelManager and checks what the messaging docs and ipykernel promise.
/// </summary>
public sealed class KernelProtocolTests
{
    private static readonly string Script = Path.Combine(RepositoryRoot.Path, "tests", "Course.Notebooks.Tests", "kernel", "protocol_cases.py");

    private static async Task Passes(string name)
    {
        var (exitCode, output) = await JupyterTools.PythonAsync([Script, name], TimeSpan.FromMinutes(2),
            new Dictionary<string, string> { ["COURSE_KERNEL_NAME"] = JupyterTools.CourseKernel });
        Assert.True(exitCode == 0, $"protocol case '{name}' failed (exit {exitCode}):\n{output}");
    }

    [Fact] public Task Kernel_info_on_shell_and_control() => Passes("kernel_info");

    [Fact] public Task Cells_share_state_and_count_executions() => Passes("state");

    [Fact] public Task Stdout_and_stderr_are_streams() => Passes("streams");

    [Fact] public Task A_trailing_expression_is_an_execute_result() => Passes("execute_result");

    [Fact] public Task Compile_errors_and_exceptions_are_errors_and_the_kernel_survives_both() => Passes("errors");

    [Fact] public Task Every_request_is_framed_by_busy_and_idle_with_the_request_as_parent() => Passes("busy_idle");

    [Fact] public Task Messages_with_a_wrong_or_missing_signature_are_ignored() => Passes("bad_signature");

    [Fact] public Task Is_complete_tells_complete_incomplete_and_invalid() => Passes("is_complete");

    [Fact] public Task Complete_request_gets_a_well_formed_reply_in_code_points() => Passes("complete");

    [Fact] public Task Console_ReadLine_asks_the_front_end_over_stdin() => Passes("stdin");

    [Fact] public Task Silent_and_store_history_false_do_not_count_or_publish() => Passes("silent");

    [Fact] public Task Stop_on_error_aborts_requests_queued_behind_a_failing_cell() => Passes("stop_on_error");

    [Fact] public Task Shutdown_on_control_replies_then_exits_cleanly() => Passes("shutdown");

    [Fact] public Task Shutdown_on_shell_replies_then_exits_cleanly() => Passes("shutdown_on_shell");

    [Fact] public Task Restart_loses_state_and_the_new_kernel_answers() => Passes("restart");

    [Fact] public Task Interrupt_request_and_SIGINT_cancel_a_cell_waiting_for_input() => Passes("interrupt_input");

    [Fact]
    public Task Interrupt_stops_an_endless_loop_and_the_kernel_keeps_working() => Passes("interrupt");
}
