#!/usr/bin/python3
"""Writes a GPT-2 checkpoint in Hugging Face's folder layout, and what an independent PyTorch GPT-2 computes from it.

    /usr/bin/python3 tools/pytorch-reference/hf_gpt2.py data/fixtures/hf-tiny-gpt2          # the test fixture (~70 KB)
    /usr/bin/python3 tools/pytorch-reference/hf_gpt2.py /tmp/gpt2-random --size gpt2        # GPT-2 small's shapes (500 MB)

Debian's python3-torch is enough (apt-get install -y python3-torch libopenblas0-pthread); the `transformers` and
`safetensors` packages are not used. The layout follows the published formats:

- config.json: the keys of transformers' GPT2Config as save_pretrained writes them.
- model.safetensors: the names of the Hub's GPT-2 files (h.0.attn.c_attn.weight, ..., wte.weight: no "transformer."
  prefix) including the h.N.attn.bias causal-mask buffers those files carry. The header is JSON mapping each name to
  dtype, shape and data_offsets, preceded by its length as a little-endian u64 and padded to 8 bytes.
- pytorch_model.bin (tiny fixture only): torch.save of what GPT2LMHeadModel.state_dict() holds in older versions of
  transformers: the "transformer." prefix, the h.N.attn.bias and h.N.attn.masked_bias buffers, and lm_head.weight
  sharing wte.weight's storage (the weights are tied).
- GPT-2's attention and MLP layers are Conv1D modules: their weights are stored in × out, and y = x W + b.

The forward pass below is GPT-2's (Radford et al., 2019; transformers' modeling_gpt2), computed in float64 from the
weights as stored, and written independently of the C# library. expected.safetensors holds the batch (ids, targets)
and the float32 logits and loss the C# model must reproduce.
"""
import argparse
import json
import math
import os

import torch

SIZES = {
    "tiny": dict(vocab_size=64, n_positions=16, n_embd=16, n_layer=2, n_head=2),
    "gpt2": dict(vocab_size=50257, n_positions=1024, n_embd=768, n_layer=12, n_head=12),
}
DTYPES = {torch.float32: "F32", torch.float64: "F64", torch.float16: "F16", torch.int64: "I64", torch.int32: "I32", torch.uint8: "U8", torch.bool: "BOOL"}


def config_json(size):
    """GPT2Config's keys, with the values of the published GPT-2 except for the shapes."""
    return dict(
        activation_function="gelu_new", architectures=["GPT2LMHeadModel"], attn_pdrop=0.1, bos_token_id=size["vocab_size"] - 1,
        embd_pdrop=0.1, eos_token_id=size["vocab_size"] - 1, initializer_range=0.02, layer_norm_epsilon=1e-05, model_type="gpt2",
        n_embd=size["n_embd"], n_head=size["n_head"], n_inner=None, n_layer=size["n_layer"], n_positions=size["n_positions"],
        reorder_and_upcast_attn=False, resid_pdrop=0.1, scale_attn_by_inverse_layer_idx=False, scale_attn_weights=True,
        summary_activation=None, summary_first_dropout=0.1, summary_proj_to_labels=True, summary_type="cls_index",
        summary_use_proj=True, torch_dtype="float32", use_cache=True, vocab_size=size["vocab_size"])


def random_weights(size, generator):
    """GPT2Model's parameters in the Hub's names and Conv1D layout. Biases and LayerNorm parameters are random too, so a
    test notices one that is loaded wrong."""
    d, V, P, m = size["n_embd"], size["vocab_size"], size["n_positions"], 4 * size["n_embd"]
    std = 0.02 if V > 1000 else 0.2

    def normal(*shape, mean=0.0, scale=std):
        return torch.randn(*shape, generator=generator) * scale + mean

    w = {"wte.weight": normal(V, d), "wpe.weight": normal(P, d)}
    for i in range(size["n_layer"]):
        p = f"h.{i}."
        w.update({
            p + "ln_1.weight": normal(d, mean=1.0, scale=0.1), p + "ln_1.bias": normal(d, scale=0.1),
            p + "attn.c_attn.weight": normal(d, 3 * d), p + "attn.c_attn.bias": normal(3 * d),
            p + "attn.c_proj.weight": normal(d, d), p + "attn.c_proj.bias": normal(d),
            p + "ln_2.weight": normal(d, mean=1.0, scale=0.1), p + "ln_2.bias": normal(d, scale=0.1),
            p + "mlp.c_fc.weight": normal(d, m), p + "mlp.c_fc.bias": normal(m),
            p + "mlp.c_proj.weight": normal(m, d), p + "mlp.c_proj.bias": normal(d),
        })
    w.update({"ln_f.weight": normal(d, mean=1.0, scale=0.1), "ln_f.bias": normal(d, scale=0.1)})
    return w


def causal_mask(P):
    return torch.tril(torch.ones(P, P, dtype=torch.uint8)).view(1, 1, P, P)


def layer_norm(x, weight, bias, eps=1e-5):
    mean = x.mean(-1, keepdim=True)
    variance = ((x - mean) ** 2).mean(-1, keepdim=True)
    return (x - mean) / torch.sqrt(variance + eps) * weight + bias


def gelu_new(x):
    """GELU's tanh approximation, GPT-2's activation."""
    return 0.5 * x * (1.0 + torch.tanh(math.sqrt(2.0 / math.pi) * (x + 0.044715 * x ** 3)))


def forward(w, size, ids):
    """Logits (B, T, V) of GPT-2 for ids (B, T), in float64, from the weights as stored (Conv1D: y = x W + b)."""
    w = {k: v.double() for k, v in w.items()}
    B, T = ids.shape
    d, H = size["n_embd"], size["n_head"]
    hs = d // H
    x = w["wte.weight"][ids] + w["wpe.weight"][:T]
    future = torch.triu(torch.ones(T, T, dtype=torch.bool), diagonal=1)
    for i in range(size["n_layer"]):
        p = f"h.{i}."
        a = layer_norm(x, w[p + "ln_1.weight"], w[p + "ln_1.bias"])
        q, k, v = (a @ w[p + "attn.c_attn.weight"] + w[p + "attn.c_attn.bias"]).split(d, dim=-1)
        q, k, v = (t.view(B, T, H, hs).transpose(1, 2) for t in (q, k, v))
        scores = (q @ k.transpose(-2, -1)) / math.sqrt(hs)
        attention = torch.softmax(scores.masked_fill(future, float("-inf")), dim=-1)
        y = (attention @ v).transpose(1, 2).reshape(B, T, d)
        x = x + (y @ w[p + "attn.c_proj.weight"] + w[p + "attn.c_proj.bias"])
        h = gelu_new(layer_norm(x, w[p + "ln_2.weight"], w[p + "ln_2.bias"]) @ w[p + "mlp.c_fc.weight"] + w[p + "mlp.c_fc.bias"])
        x = x + (h @ w[p + "mlp.c_proj.weight"] + w[p + "mlp.c_proj.bias"])
    x = layer_norm(x, w["ln_f.weight"], w["ln_f.bias"])
    return x @ w["wte.weight"].t()


def write_safetensors(path, tensors, metadata=None):
    header, offset, blobs = {}, 0, []
    if metadata:
        header["__metadata__"] = metadata
    for name in sorted(tensors):
        t = tensors[name].contiguous()
        data = t.numpy().tobytes() if t.dtype != torch.bool else t.to(torch.uint8).numpy().tobytes()
        header[name] = {"dtype": DTYPES[t.dtype], "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        offset += len(data)
        blobs.append(data)
    encoded = json.dumps(header, separators=(",", ":")).encode("utf-8")
    encoded += b" " * (-len(encoded) % 8)
    with open(path, "wb") as f:
        f.write(len(encoded).to_bytes(8, "little"))
        f.write(encoded)
        for blob in blobs:
            f.write(blob)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out")
    parser.add_argument("--size", choices=SIZES, default="tiny")
    args = parser.parse_args()
    size = SIZES[args.size]
    os.makedirs(args.out, exist_ok=True)
    generator = torch.Generator().manual_seed(20261126)
    weights = random_weights(size, generator)

    with open(os.path.join(args.out, "config.json"), "w") as f:
        json.dump(config_json(size), f, indent=2, sort_keys=True)
        f.write("\n")
    masks = {f"h.{i}.attn.bias": causal_mask(size["n_positions"]).float() for i in range(size["n_layer"])}
    write_safetensors(os.path.join(args.out, "model.safetensors"), {**weights, **masks}, {"format": "pt"})

    if args.size == "tiny":
        state = {"transformer." + k: v for k, v in weights.items()}
        for i in range(size["n_layer"]):
            state[f"transformer.h.{i}.attn.bias"] = causal_mask(size["n_positions"])
            state[f"transformer.h.{i}.attn.masked_bias"] = torch.tensor(-1e4)
        state["lm_head.weight"] = state["transformer.wte.weight"]  # one storage, as a tied model saves it
        torch.save(state, os.path.join(args.out, "pytorch_model.bin"))

    T = min(size["n_positions"], 16)
    ids = torch.randint(size["vocab_size"], (2, T), generator=generator)
    targets = torch.randint(size["vocab_size"], (2, T), generator=generator)
    logits = forward(weights, size, ids)
    loss = torch.nn.functional.cross_entropy(logits.view(-1, logits.size(-1)), targets.view(-1))
    write_safetensors(os.path.join(args.out, "expected.safetensors"),
                      {"ids": ids, "targets": targets, "logits": logits.float(), "loss": loss.float().reshape(1)},
                      {"torch": torch.__version__, "size": args.size})
    print(f"{args.out}: {sum(v.numel() for v in weights.values()):,} parameters; loss {loss.item():.6f}")


if __name__ == "__main__":
    main()
