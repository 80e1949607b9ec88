#!/usr/bin/env bash
# Runs once when a classroom dev container is created (postCreateCommand), and works the same outside any container.
# It sets up the course, registers its C# kernel with Jupyter (and the official .NET Interactive kernel, without the
# network HTTP API that kernel's own installer opens), then runs a smoke check:
#   bash .devcontainer/post-create.sh           # check prerequisites, set up (bash setup.sh), then a smoke check
#   bash .devcontainer/post-create.sh --check   # check prerequisites only; restores, patches and builds nothing
# Environment:
#   TORCH_BACKEND=cpu|cuda|system   the libtorch backend setup.sh selects (default cpu)
#   POST_CREATE_SKIP_SMOKE=1        set up without the smoke check
#   POST_CREATE_SMOKE_NOTEBOOK=F    the notebook the smoke check runs (default notebooks/00-setup.ipynb)
# --check exists so that tests (and a wary learner) can verify the environment without a build: a build started from
# a test run would overwrite the very assemblies that test run has loaded.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

usage() { sed -n '2,8s/^# \{0,1\}//p' "$0"; }
fail() { echo "post-create: $*" >&2; exit 1; }

mode=full
case "${1:-}" in
    "") ;;
    --check) mode=check ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; fail "unknown option '$1'; use --check or no option." ;;
esac
[ $# -le 1 ] || fail "expected at most one option, got: $*"

backend="${TORCH_BACKEND:-cpu}"
smoke_notebook="${POST_CREATE_SMOKE_NOTEBOOK:-notebooks/00-setup.ipynb}"

check() {
    case "$backend" in
        cpu|cuda|system) ;;
        *) fail "TORCH_BACKEND='$backend' is not known. Use cpu (default), cuda (NVIDIA GPU) or system (an existing libtorch), e.g. TORCH_BACKEND=cpu bash .devcontainer/post-create.sh" ;;
    esac
    command -v dotnet >/dev/null \
        || fail "'dotnet' is not on PATH. Install the .NET 10 SDK (https://dot.net), or open the repository in its dev container, and rerun."
    # Run from the repository root, so the SDK resolves global.json and reports a missing SDK version by name.
    local sdk
    sdk="$(dotnet --version 2>&1)" \
        || fail "the installed .NET SDK does not satisfy global.json (dotnet said: ${sdk//$'\n'/ }). Install the .NET 10 SDK (https://dot.net) and rerun."
    # TorchSharp 0.107.0 ships its native library for Linux on x86-64 only. On arm64 Linux (a container on an Apple
    # Silicon Mac, say) everything builds and then libtorch cannot load, so stop here and say what works instead.
    if [ "$(uname -s)" = Linux ] && [ "$(uname -m)" != x86_64 ]; then
        fail "TorchSharp 0.107.0 has no native libraries for Linux on $(uname -m), only on x86_64. On an Apple Silicon Mac, run the course on macOS itself (bash setup.sh) or in GitHub Codespaces; see docs/classroom.md, Troubleshooting."
    fi
    local script
    for script in setup.sh tools/debian12-fix/apply.sh; do
        [ -f "$script" ] || fail "$script is missing; the checkout is incomplete. Run 'git status' and restore it (git checkout -- $script)."
        bash -n "$script" 2>/dev/null || fail "$script has a bash syntax error: $(bash -n "$script" 2>&1 | head -1)"
    done
    # The GPU and system backends build without their runtime pieces, so their absence is a warning, not an error:
    # setup still succeeds, and the learner hears about it now rather than from the first tensor.
    case "$backend" in
        cuda) command -v nvidia-smi >/dev/null && nvidia-smi -L >/dev/null 2>&1 \
                || echo "post-create: warning: TORCH_BACKEND=cuda but no NVIDIA GPU is visible (nvidia-smi missing or failing). Check the host driver (>= 570) and that the container runs with --gpus all." ;;
        system) [[ "${LD_LIBRARY_PATH:-}" == *torch/lib* ]] \
                || echo "post-create: warning: TORCH_BACKEND=system but LD_LIBRARY_PATH names no torch/lib folder; point it at your PyTorch install's torch/lib before running anything." ;;
    esac
    echo "post-create: prerequisites ok (.NET SDK $sdk, TORCH_BACKEND=$backend)."
}

# The smoke check proves the container can do what the first chapter does. It is skipped, saying so, only while the
# pieces it runs are not in the checkout yet; once they exist, any failure fails the container's creation.
smoke() {
    if [ ! -f ./course ]; then
        echo "post-create: smoke check skipped: ./course is not in this checkout."
        return
    fi
    echo "post-create: smoke check: ./course env"
    bash ./course env || fail "'./course env' failed (exit $?). Its output above names the problem; see docs/classroom.md, Troubleshooting."
    if [ ! -f "$smoke_notebook" ]; then
        echo "post-create: smoke notebook skipped: $smoke_notebook is not in this checkout."
        return
    fi
    local out code=0
    out="$(mktemp -d)"
    # The executed copy goes to a temporary folder so the learner's notebook stays as it came from git.
    echo "post-create: smoke check: ./course notebooks run $smoke_notebook"
    bash ./course notebooks run "$smoke_notebook" --output "$out" || code=$?
    rm -rf "$out"
    [ "$code" = 0 ] || fail "the smoke notebook $smoke_notebook failed (exit $code). Rerun it with './course notebooks run $smoke_notebook' to see the failing cell; see docs/classroom.md, Troubleshooting."
}

# The kernels JupyterLab and VS Code's Jupyter extension list: the course's own, and the official one for comparison.
# Like the smoke check, each is skipped, saying so, only while its piece is not in the checkout.
register_kernels() {
    if [ -f ./course ]; then
        bash ./course kernel install --user || fail "'./course kernel install' failed (exit $?); its message above names the problem."
    else
        echo "post-create: course kernel not registered: ./course is not in this checkout."
    fi
    if [ -f tools/jupyter/official-kernel.sh ]; then
        bash tools/jupyter/official-kernel.sh || fail "registering the .NET Interactive kernel failed (exit $?); its message above names the problem."
    else
        echo "post-create: .NET Interactive kernel not registered: tools/jupyter/official-kernel.sh is not in this checkout."
    fi
}

check
if [ "$mode" = check ]; then exit 0; fi

TORCH_BACKEND="$backend" bash setup.sh
register_kernels
if [ "${POST_CREATE_SKIP_SMOKE:-0}" = 1 ]; then
    echo "post-create: smoke check skipped (POST_CREATE_SKIP_SMOKE=1)."
else
    smoke
fi
echo "post-create: ready. Next: open a chapter in notebooks/ with the kernel \"C# (course)\", or ./course pretrain (docs/classroom.md)."
