"""PyTorch's half of benchmarks/torch_side_by_side.sh: the workloads of TorchSideBySideBenchmark
(benchmarks/jmh/io/recur/bench), same sizes, in torch on the CPU. Prints one line per workload,
"name<TAB>median ms per step<TAB>steps timed". Arguments: the workloads, then --threads N and
--seconds S (time spent timing each, after a warm-up)."""
import argparse, math, statistics, time
import torch
import torch.nn as nn
import torch.nn.functional as F

BATCH, LENGTH, HIDDEN, FEATURES, CLASSES, VOCAB = 32, 128, 128, 32, 10, 256
MAMBA_BATCH, MAMBA_LENGTH, MAMBA_D_MODEL, D_STATE, D_CONV, EXPAND = 4, 256, 64, 16, 4, 2
LEARNING_RATE, WEIGHT_DECAY = 1e-3, 0.01


class RecurrentStep(nn.Module):
    """Input layer → one torch.nn.LSTM or GRU layer (batch first) → linear head."""
    def __init__(self, inputs, cell, outputs):
        super().__init__()
        self.inputs, self.cell, self.head = inputs, cell, nn.Linear(HIDDEN, outputs)

    def forward(self, x):
        return self.head(self.cell(self.inputs(x))[0])


def selective_scan_sequential(u, delta, a, b, c, d, z, delta_bias):
    """The selective scan as a loop over time: u, delta, z (B, E, L); a (E, N); b, c (B, N, L)."""
    delta = F.softplus(delta + delta_bias[:, None])
    decay = torch.exp(delta.unsqueeze(-1) * a[:, None])                         # (B, E, L, N)
    drive = (delta * u).unsqueeze(-1) * b.transpose(1, 2).unsqueeze(1)   # (B, E, L, N)
    state = u.new_zeros(u.shape[0], u.shape[1], a.shape[1])
    ys = []
    for t in range(u.shape[2]):
        state = decay[:, :, t] * state + drive[:, :, t]
        ys.append(torch.einsum('ben,bn->be', state, c[:, :, t]))
    y = torch.stack(ys, dim=2) + u * d[:, None]
    return y * F.silu(z)


class MambaBlock(nn.Module):
    """x + mixer(RMSNorm(x)) with mamba_ssm's Mamba mixer (its reference path) written out in torch."""
    def __init__(self, d_model):
        super().__init__()
        e, self.rank = EXPAND * d_model, math.ceil(d_model / 16)
        self.norm_weight = nn.Parameter(torch.ones(d_model))
        self.in_proj = nn.Linear(d_model, 2 * e, bias=False)
        self.conv1d = nn.Conv1d(e, e, D_CONV, groups=e, padding=D_CONV - 1)
        self.x_proj = nn.Linear(e, self.rank + 2 * D_STATE, bias=False)
        self.dt_proj = nn.Linear(self.rank, e)
        self.a_log = nn.Parameter(torch.log(torch.arange(1, D_STATE + 1, dtype=torch.float32)).repeat(e, 1))
        self.d = nn.Parameter(torch.ones(e))
        self.out_proj = nn.Linear(e, d_model, bias=False)

    def forward(self, x):
        h = x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + 1e-5) * self.norm_weight
        length = h.shape[1]
        u, z = self.in_proj(h).transpose(1, 2).chunk(2, dim=1)            # (B, E, L) each
        u = F.silu(self.conv1d(u)[..., :length])
        dt, b, c = self.x_proj(u.transpose(1, 2)).split([self.rank, D_STATE, D_STATE], dim=-1)
        delta = (dt @ self.dt_proj.weight.t()).transpose(1, 2)
        y = selective_scan_sequential(u, delta, -torch.exp(self.a_log), b.transpose(1, 2), c.transpose(1, 2),
                                      self.d, z, self.dt_proj.bias)
        return x + self.out_proj(y.transpose(1, 2))


def workload(name):
    """The model, its inputs and a function running one step of it."""
    g = torch.Generator().manual_seed(7)
    if name == 'mamba-block':
        block = MambaBlock(MAMBA_D_MODEL)
        x = torch.randn(MAMBA_BATCH, MAMBA_LENGTH, MAMBA_D_MODEL, generator=g)
        def step():
            block(x).sum().backward()
            block.zero_grad(set_to_none=True)
        return step
    if name == 'lstm-step':
        model = RecurrentStep(nn.Linear(FEATURES, HIDDEN), nn.LSTM(HIDDEN, HIDDEN, batch_first=True), CLASSES)
        x = torch.randn(BATCH, LENGTH, FEATURES, generator=g)
        y = torch.randint(0, CLASSES, (BATCH, LENGTH), generator=g)
        outputs = CLASSES
    elif name in ('charlm-lstm', 'charlm-gru'):
        cell = nn.LSTM if name.endswith('lstm') else nn.GRU
        model = RecurrentStep(nn.Embedding(VOCAB, HIDDEN), cell(HIDDEN, HIDDEN, batch_first=True), VOCAB)
        text = torch.randint(0, VOCAB, (BATCH * LENGTH + 1,), generator=g)
        x, y = text[:-1].view(BATCH, LENGTH), text[1:].view(BATCH, LENGTH)
        outputs = VOCAB
    else:
        raise SystemExit('unknown workload ' + name)
    adam = torch.optim.AdamW(model.parameters(), lr=LEARNING_RATE, weight_decay=WEIGHT_DECAY)
    def step():
        F.cross_entropy(model(x).reshape(-1, outputs), y.reshape(-1)).backward()
        adam.step()
        adam.zero_grad(set_to_none=True)
    return step


def main():
    p = argparse.ArgumentParser()
    p.add_argument('workloads', nargs='+')
    p.add_argument('--threads', type=int, required=True)
    p.add_argument('--seconds', type=float, default=5.0)
    args = p.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(1)
    for name in args.workloads:
        step = workload(name)
        warm_until = time.perf_counter() + 3.0      # like JMH's 3 × 1 s warm-up
        while time.perf_counter() < warm_until: step()
        times, until = [], time.perf_counter() + args.seconds
        while time.perf_counter() < until or len(times) < 3:
            t0 = time.perf_counter()
            step()
            times.append((time.perf_counter() - t0) * 1e3)
        print('%s\t%.3f\t%d' % (name, statistics.median(times), len(times)), flush=True)


if __name__ == '__main__':
    main()
