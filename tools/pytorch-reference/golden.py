"""Writes the golden file of the C# test GoldenFileTests: PyTorch's own numbers for a small GPT, computed here.

    python3 golden.py OUT.safetensors     # Debian 12: apt-get install python3-torch libopenblas0-pthread

The independent model of model.py is initialised by PyTorch (seeded), run on a random batch, and trained for five
AdamW steps with gradient clipping. One safetensors file (written by hand: the format is a JSON header and raw
little-endian bytes, and Debian has no python3-safetensors) keeps the initial weights (weight.NAME), the batch (x, y),
the logits, the loss, every gradient (grad.NAME), the five step losses and the weights after the steps (after.NAME),
with the config and the optimizer's hyperparameters in its metadata. The C# test loads the weights into the C# GPT,
repeats every computation and compares, so the suite checks the model against PyTorch without Python.
Runs on the CPU in fp32 with two threads (the C# test's setting), so the numbers are reproducible.
"""
import json
import struct
import sys

import torch

from model import GPT

CONFIG = dict(VocabSize=48, BlockSize=8, NLayer=2, NHead=2, NEmbd=16, Dropout=0.0, Bias=True)
OPTIMIZER = dict(lr=1e-2, weight_decay=0.1, beta1=0.9, beta2=0.95, eps=1e-8, grad_clip=1.0, steps=5)
BATCH = 3


def save(path, tensors, metadata):
    """safetensors: an 8-byte little-endian header length, the JSON header (padded to 8 bytes), then the data."""
    header, blobs, offset = {"__metadata__": metadata}, [], 0
    for name in sorted(tensors):
        t = tensors[name].detach().contiguous().cpu()
        data = t.numpy().tobytes()
        dtype = {torch.float32: "F32", torch.int64: "I64"}[t.dtype]
        header[name] = {"dtype": dtype, "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + b"".join(blobs))


def main(path):
    torch.set_num_threads(2)
    torch.manual_seed(1234)
    model = GPT.from_config(CONFIG)
    x = torch.randint(CONFIG["VocabSize"], (BATCH, CONFIG["BlockSize"]))
    y = torch.randint(CONFIG["VocabSize"], (BATCH, CONFIG["BlockSize"]))
    out = {f"weight.{n}": p.detach().clone() for n, p in model.named_parameters()}
    out.update(x=x, y=y)

    logits, loss = model(x, y)
    loss.backward()
    out.update(logits=logits.detach(), loss=loss.detach().reshape(1))
    out.update({f"grad.{n}": p.grad.clone() for n, p in model.named_parameters()})

    losses = model.train_steps(x, y, OPTIMIZER)
    out["step_losses"] = torch.tensor(losses)
    out.update({f"after.{n}": p.detach().clone() for n, p in model.named_parameters()})

    save(path, out, {"config": json.dumps(CONFIG), "optimizer": json.dumps(OPTIMIZER), "torch": torch.__version__})
    print(f"wrote {path}: loss {loss.item():.6f}, step losses {[round(v, 6) for v in losses]}")


if __name__ == "__main__":
    main(sys.argv[1])
