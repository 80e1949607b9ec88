"""Compares the C# GPT with an independent PyTorch GPT on the same weights and batch (llm.c's test_gpt2, in spirit).

    python3 compare.py DIR      # DIR holds what `course reference --out DIR` wrote

Loads weights.safetensors with Python's safetensors (which also proves the checkpoint format), computes logits,
loss and gradients, runs the same AdamW steps with clipping, and compares each with outputs.safetensors.
Exits 1 if any difference exceeds its tolerance. Runs on the CPU in fp32, so the tolerances are tight.
"""
import json
import sys

import torch
from safetensors import safe_open
from safetensors.torch import load_file

from model import GPT

# Both sides run fp32 on a CPU, but not the same CPU kernels; AdamW amplifies last-bit differences in the
# gradients of elements whose second moment is tiny, so the step losses get a looser bound.
TOLERANCES = {"logits": 1e-4, "loss": 1e-5, "gradients": 1e-5, "step losses": 1e-3}


def main(directory):
    torch.manual_seed(0)
    with safe_open(f"{directory}/weights.safetensors", "pt") as f:
        meta = f.metadata()
    config, opt = json.loads(meta["config"]), json.loads(meta["optimizer"])
    weights = load_file(f"{directory}/weights.safetensors")
    batch = load_file(f"{directory}/batch.safetensors")
    expected = load_file(f"{directory}/outputs.safetensors")

    model = GPT.from_config(config)
    missing, unexpected = model.load_state_dict(weights, strict=False)
    assert not missing and not unexpected, f"names differ: missing {missing}, unexpected {unexpected}"
    x, y = batch["x"], batch["y"]

    rows = []
    logits, loss = model(x, y)
    loss.backward()
    rows.append(("logits", (logits - expected["logits"]).abs().max().item()))
    rows.append(("loss", abs(loss.item() - expected["loss"].item())))
    rows.append(("gradients", max((p.grad - expected[f"grad.{n}"]).abs().max().item() for n, p in model.named_parameters())))

    model.load_state_dict(weights, strict=False)
    losses = model.train_steps(x, y, opt)
    rows.append(("step losses", (torch.tensor(losses) - expected["step_losses"]).abs().max().item()))

    failed = False
    print(f"{'quantity':<12} {'max |C# - PyTorch|':>20} {'tolerance':>10}")
    for name, diff in rows:
        ok = diff <= TOLERANCES[name]
        failed |= not ok
        print(f"{name:<12} {diff:>20.3e} {TOLERANCES[name]:>10.0e} {'ok' if ok else 'FAILED'}")
    print("C# losses:     ", [round(v, 6) for v in expected["step_losses"].tolist()])
    print("PyTorch losses:", [round(v, 6) for v in losses])
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
