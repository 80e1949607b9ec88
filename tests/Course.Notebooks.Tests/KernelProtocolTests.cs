namespace Course.Notebooks.Tests;

/// <summary>
/// The kernel as Jupyter's own client sees it: each test runs one case of kernel/protocol_cases.py, which starts
/// the kernel with jupyter_client's KernelManager and checks what the messaging docs and ipykernel promise.
/// </summary>
public sealed class KernelProtocolTests(JupyterClientHarness jupyter) : IClassFixture<JupyterClientHarness>
{
    private void Passes(string name)
    {
        var (exitCode, output) = jupyter.RunCase(name);
        Assert.True(exitCode == 0, $"protocol case '{name}' failed (exit {exitCode}):\n{output}");
    }

    [Fact] public void Kernel_info_on_shell_and_control() => Passes("kernel_info");

    [Fact] public void Cells_share_state_and_count_executions() => Passes("state");

    [Fact] public void Stdout_and_stderr_are_streams() => Passes("streams");

    [Fact] public void A_trailing_expression_is_an_execute_result() => Passes("execute_result");

    [Fact] public void Compile_errors_and_exceptions_are_errors_and_the_kernel_survives_both() => Passes("errors");

    [Fact] public void Every_request_is_framed_by_busy_and_idle_with_the_request_as_parent() => Passes("busy_idle");

    [Fact] public void Messages_with_a_wrong_or_missing_signature_are_ignored() => Passes("bad_signature");

    [Fact] public void Is_complete_tells_complete_incomplete_and_invalid() => Passes("is_complete");

    [Fact] public void Complete_request_gets_a_well_formed_reply_in_code_points() => Passes("complete");

    [Fact] public void Console_ReadLine_asks_the_front_end_over_stdin() => Passes("stdin");

    [Fact] public void Silent_and_store_history_false_do_not_count_or_publish() => Passes("silent");

    [Fact] public void Stop_on_error_aborts_requests_queued_behind_a_failing_cell() => Passes("stop_on_error");

    [Fact] public void Shutdown_on_control_replies_then_exits_cleanly() => Passes("shutdown");

    [Fact] public void Shutdown_on_shell_replies_then_exits_cleanly() => Passes("shutdown_on_shell");

    [Fact] public void Restart_loses_state_and_the_new_kernel_answers() => Passes("restart");

    [Fact] public void Interrupt_request_and_SIGINT_cancel_a_cell_waiting_for_input() => Passes("interrupt_input");

    [Fact]
    public void Interrupt_stops_an_endless_loop_and_the_kernel_keeps_working() => Passes("interrupt");
}
