"""A GPT with nanoGPT's layout, written independently of the C# library, as the PyTorch side of the comparison.

Module names match the C# model's safetensors names (transformer.wte.weight, transformer.h.0.attn.c_attn.weight,
...); the output layer reuses transformer.wte.weight (weight tying), so checkpoints carry no lm_head tensor.
"""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


def layer_norm(d, bias):
    """nn.LayerNorm(d, bias=bias) of PyTorch 2.1+, also on Debian 12's PyTorch 1.13 (which lacks the bias switch)."""
    norm = nn.LayerNorm(d)
    if not bias:
        norm.bias = None
    return norm


def causal_attention(q, k, v, dropout_p):
    """PyTorch 2's fused scaled_dot_product_attention where it exists, else softmax(QKᵀ/√d + causal mask)V written out."""
    if hasattr(F, "scaled_dot_product_attention"):
        return F.scaled_dot_product_attention(q, k, v, dropout_p=dropout_p, is_causal=True)
    T = q.size(-2)
    scores = (q @ k.transpose(-2, -1)) / math.sqrt(q.size(-1))
    scores = scores.masked_fill(torch.ones(T, T, dtype=torch.bool, device=q.device).triu(1), float("-inf"))
    return F.dropout(scores.softmax(dim=-1), dropout_p) @ v


class CausalSelfAttention(nn.Module):
    def __init__(self, d, n_head, bias, dropout):
        super().__init__()
        self.n_head, self.dropout = n_head, dropout
        self.c_attn = nn.Linear(d, 3 * d, bias=bias)
        self.c_proj = nn.Linear(d, d, bias=bias)
        self.resid_dropout = nn.Dropout(dropout)

    def forward(self, x):
        B, T, d = x.shape
        q, k, v = self.c_attn(x).split(d, dim=2)
        q, k, v = (t.view(B, T, self.n_head, d // self.n_head).transpose(1, 2) for t in (q, k, v))
        y = causal_attention(q, k, v, self.dropout if self.training else 0.0)
        return self.resid_dropout(self.c_proj(y.transpose(1, 2).contiguous().view(B, T, d)))


class Block(nn.Module):
    def __init__(self, d, n_head, bias, dropout):
        super().__init__()
        self.ln_1 = layer_norm(d, bias)
        self.attn = CausalSelfAttention(d, n_head, bias, dropout)
        self.ln_2 = layer_norm(d, bias)
        self.mlp = nn.Sequential()
        self.mlp.add_module("c_fc", nn.Linear(d, 4 * d, bias=bias))
        self.mlp.add_module("gelu", nn.GELU(approximate="tanh"))
        self.mlp.add_module("c_proj", nn.Linear(4 * d, d, bias=bias))
        self.mlp.add_module("dropout", nn.Dropout(dropout))

    def forward(self, x):
        x = x + self.attn(self.ln_1(x))
        return x + self.mlp(self.ln_2(x))


class GPT(nn.Module):
    def __init__(self, vocab_size, block_size, n_layer, n_head, n_embd, dropout=0.0, bias=True):
        super().__init__()
        self.transformer = nn.ModuleDict(dict(
            wte=nn.Embedding(vocab_size, n_embd),
            wpe=nn.Embedding(block_size, n_embd),
            drop=nn.Dropout(dropout),
            h=nn.ModuleList(Block(n_embd, n_head, bias, dropout) for _ in range(n_layer)),
            ln_f=layer_norm(n_embd, bias),
        ))
        for name, p in self.named_parameters():
            if name.endswith("c_proj.weight"):
                nn.init.normal_(p, 0.0, 0.02 / math.sqrt(2 * n_layer))
            elif p.dim() >= 2:
                nn.init.normal_(p, 0.0, 0.02)
            elif name.endswith("bias"):
                nn.init.zeros_(p)

    @classmethod
    def from_config(cls, c):
        """From the C# GptConfig as JSON (PascalCase names)."""
        return cls(c["VocabSize"], c["BlockSize"], c["NLayer"], c["NHead"], c["NEmbd"], c["Dropout"], c["Bias"])

    def forward(self, idx, targets=None):
        t = self.transformer
        pos = torch.arange(idx.size(1), device=idx.device)
        x = t.drop(t.wte(idx) + t.wpe(pos))
        for block in t.h:
            x = block(x)
        logits = F.linear(t.ln_f(x), t.wte.weight)
        loss = None if targets is None else F.cross_entropy(logits.float().view(-1, logits.size(-1)), targets.reshape(-1))
        return logits, loss

    def adamw(self, lr, weight_decay, betas, eps=1e-8, fused=False):
        decay = [p for p in self.parameters() if p.dim() >= 2]
        no_decay = [p for p in self.parameters() if p.dim() < 2]
        groups = [{"params": decay, "weight_decay": weight_decay}, {"params": no_decay, "weight_decay": 0.0}]
        # PyTorch 1.13's AdamW has no fused switch; only the GPU benchmark asks for the fused kernel.
        extra = {"fused": True} if fused else {}
        return torch.optim.AdamW(groups, lr=lr, betas=betas, eps=eps, **extra)

    def train_steps(self, x, y, opt):
        """opt["steps"] AdamW steps on one batch with gradient clipping, as the C# tests and `course reference` do;
        returns the loss of each step (before its update). opt holds lr, weight_decay, beta1, beta2, eps, grad_clip."""
        optimizer = self.adamw(opt["lr"], opt["weight_decay"], (opt["beta1"], opt["beta2"]), opt["eps"])
        losses = []
        for _ in range(opt["steps"]):
            optimizer.zero_grad(set_to_none=True)
            _, loss = self(x, y)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(self.parameters(), opt["grad_clip"])
            optimizer.step()
            losses.append(loss.item())
        return losses
