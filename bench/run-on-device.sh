#!/usr/bin/env bash
# The GPU measurements behind bench/README.md, for a Linux machine with an NVIDIA GPU and PyTorch but no .NET SDK
# (the lent H100/H200): the course CLI published self-contained with managed TorchSharp only (TorchBackend=system)
# in .device/app.tar.xz, libtorch taken from the machine's PyTorch wheel. Prepare on a dev machine with
# bench/prepare-device.sh; run from the repository root; results go to $OUT.
set -uo pipefail
root=$PWD
out=${OUT:-$root/device-out}
mkdir -p "$out"
torch_lib=$(python3 -c "import os, torch; print(os.path.join(os.path.dirname(torch.__file__), 'lib'))")
(cd /tmp && tar xJf "$root/.device/app.tar.xz")
export LD_LIBRARY_PATH=$torch_lib COURSE_CACHE=$root/.device/cache
course=/tmp/pub/Course.Cli
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv > "$out/device.csv"
python3 -c "import torch; print('pytorch', torch.__version__, 'cuda', torch.version.cuda)" > "$out/versions.txt"

# part NAME SECONDS COMMAND...: runs one measurement with a time limit, sampling GPU memory (MiB) every 100 ms,
# and goes on to the next whatever happens, so one failure does not cost the others.
part() {
    local name=$1 limit=$2; shift 2
    nvidia-smi --query-gpu=memory.used --format=csv,noheader,nounits -lms 100 > "$out/$name-memory.log" &
    local sampler=$! start=$SECONDS
    timeout "$limit" "$@" > "$out/$name.log" 2>&1
    echo "$name exit=$? seconds=$((SECONDS - start))" >> "$out/parts.txt"
    kill $sampler
}

part pytorch-bench 100 python3 tools/pytorch-reference/bench.py --out "$out/pytorch-bench.json"
part course-bench 120 "$course" bench --workload shakespeare-char gpt2 --device cuda --out "$out/course-bench.json"
part compare 45 python3 tools/pytorch-reference/compare.py .device/reference
if [ "${BENCH_ONLY:-0}" = 1 ]; then   # a quick re-measurement of the speed comparison alone
    part course-bench-again 120 "$course" bench --workload shakespeare-char gpt2 --device cuda --out "$out/course-bench-again.json"
else
# nanoGPT's shakespeare_char recipe, seeds 1337 (through chapter 08, whose executed copy is kept), 1 and 2.
part notebook-08 200 "$course" notebooks run notebooks/08-gpu-pretraining.ipynb -o "$out/notebooks" -p Device=cuda -p Corpus=tinyshakespeare \
    -p Preset=shakespeare-char -p Steps=5000 -p BatchSize=64 -p Accumulation=1 -p Precision=bf16 -p EvalInterval=250 -p EvalBatches=200
for seed in 1 2; do
    part shakespeare-seed$seed 150 "$course" pretrain --preset shakespeare-char --corpus tinyshakespeare --device cuda --precision bf16 \
        --seed $seed --out /tmp/run-shakespeare-$seed
    mkdir -p "$out/shakespeare-seed$seed"
    cp /tmp/run-shakespeare-$seed/metrics.jsonl /tmp/run-shakespeare-$seed/summary.json /tmp/run-shakespeare-$seed/loss.html "$out/shakespeare-seed$seed/" 2>/dev/null
done
fi
cat "$out/parts.txt"
# The device tool returns few files: pack everything into one archive.
tar czf /tmp/results.tgz -C "$out" . && rm -rf "${out:?}"/* && mv /tmp/results.tgz "$out/"
