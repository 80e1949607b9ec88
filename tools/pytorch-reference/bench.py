"""PyTorch eager counterpart of `course bench`: the same workloads, timed the same way, written as JSON.

    python3 bench.py --workload shakespeare-char gpt2 --out results.json

bf16 autocast, flash scaled_dot_product_attention, fused AdamW, TF32 on, as in the measured baselines.
Like the C# benchmark, each timed step ends by reading its loss (one GPU sync per step).
"""
import argparse
import json
import time

import torch

from model import GPT

WORKLOADS = {
    "shakespeare-char": dict(config=dict(vocab_size=65, block_size=256, n_layer=6, n_head=6, n_embd=384, dropout=0.2), batch=64),
    "gpt2": dict(config=dict(vocab_size=50304, block_size=1024, n_layer=12, n_head=12, n_embd=768, dropout=0.0), batch=16),
}


def run(name, warmup, steps, peak_tflops):
    spec = WORKLOADS[name]
    c, B = spec["config"], spec["batch"]
    torch.manual_seed(1)
    model = GPT(**c).cuda().train()
    optimizer = model.adamw(6e-4, 0.1, (0.9, 0.95), fused=True)
    data = torch.randint(c["vocab_size"], (1 << 20,), device="cuda")
    torch.cuda.reset_peak_memory_stats()

    def step():
        starts = torch.randint(len(data) - c["block_size"] - 1, (B, 1), device="cuda")
        window = data[starts + torch.arange(c["block_size"] + 1, device="cuda")]
        with torch.autocast("cuda", dtype=torch.bfloat16):
            _, loss = model(window[:, :-1], window[:, 1:])
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        optimizer.zero_grad(set_to_none=True)
        return loss.item()

    for _ in range(warmup):
        step()
    torch.cuda.synchronize()
    start = time.perf_counter()
    for _ in range(steps):
        loss = step()
    ms = (time.perf_counter() - start) * 1000 / steps
    # Where the time goes, as `course bench` splits it: batch + forward + backward, then clipping + optimizer.
    phases = [0.0, 0.0]
    for _ in range(steps):
        torch.cuda.synchronize()
        t0 = time.perf_counter()
        starts = torch.randint(len(data) - c["block_size"] - 1, (B, 1), device="cuda")
        window = data[starts + torch.arange(c["block_size"] + 1, device="cuda")]
        with torch.autocast("cuda", dtype=torch.bfloat16):
            _, step_loss = model(window[:, :-1], window[:, 1:])
        step_loss.backward()
        torch.cuda.synchronize()
        t1 = time.perf_counter()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        optimizer.zero_grad(set_to_none=True)
        torch.cuda.synchronize()
        phases[0] += t1 - t0
        phases[1] += time.perf_counter() - t1
    tokens_per_s = B * c["block_size"] / (ms / 1000)
    n = sum(p.numel() for p in model.parameters()) - model.transformer.wpe.weight.numel()
    flops_per_token = 6 * n + 12 * c["n_layer"] * c["n_embd"] * c["block_size"]
    return dict(name=name, framework=f"pytorch {torch.__version__} eager", device=torch.cuda.get_device_name(), batch_size=B,
                ms_per_step=ms, tokens_per_second=tokens_per_s, mfu=tokens_per_s * flops_per_token / (peak_tflops * 1e12),
                peak_memory_allocated_bytes=torch.cuda.max_memory_allocated(), peak_memory_reserved_bytes=torch.cuda.max_memory_reserved(),
                final_loss=loss, forward_backward_ms=phases[0] * 1000 / steps, optimizer_ms=phases[1] * 1000 / steps)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--workload", nargs="+", default=list(WORKLOADS))
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--steps", type=int, default=20)
    parser.add_argument("--peak-tflops", type=float, default=989.0)
    parser.add_argument("--out")
    args = parser.parse_args()
    torch.backends.cuda.matmul.allow_tf32 = True
    torch.backends.cudnn.allow_tf32 = True
    results = [run(w, args.warmup, args.steps, args.peak_tflops) for w in args.workload]
    for r in results:
        print(f"{r['name']:<18} {r['ms_per_step']:8.1f} ms/step (fwd+bwd {r['forward_backward_ms']:.1f}, optimizer {r['optimizer_ms']:.1f}) "
              f"{r['tokens_per_second']:12,.0f} tok/s  MFU {r['mfu']:.3f}  "
              f"peak reserved {r['peak_memory_reserved_bytes'] / 1e9:.1f} GB")
    if args.out:
        with open(args.out, "w") as f:
            json.dump(results, f, indent=2)
