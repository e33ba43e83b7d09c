#!/usr/bin/python3
"""PyTorch reference for bench/training.sh: trains the same network on the same data as WellWatch.

Reads the JSON written by io.wellwatch.model.TrainingExport (the exact windows, minibatch order,
initial parameters and settings of one WellWatch training run) and trains the same network with
PyTorch on one thread: LSTM (one bias, DL4J's initial weights mapped to PyTorch's gate order) ->
Linear at every step, loss = mean over windows of the sum over time steps of the mean absolute
error over outputs (DL4J's MEAN_ABSOLUTE_ERROR score), Adam with DL4J's arithmetic (epsilon added
to sqrt(v), bias corrections in the step size). Prints one JSON line per run:
{"run": k, "warmup": bool, "ms": wall time of the training, "cpuMs": its CPU time, "mae": training MAE
in scaled units}.

Usage: /usr/bin/python3 bench/torch_reference.py EXPORT.json [timed runs, default 1]
(one untimed warm-up run comes first; its time is printed too, as the cold figure).
"""
import json
import math
import sys
import time

import torch

torch.set_num_threads(1)
torch.set_num_interop_threads(1)

BETA1, BETA2, EPS = 0.9, 0.999, 1e-8


def dl4j_to_torch_rows(m, n):
    """DL4J column blocks (block input, forget, output, input) -> PyTorch row blocks (i, f, g, o)."""
    blocks = [m[:, 3 * n:4 * n], m[:, n:2 * n], m[:, 0:n], m[:, 2 * n:3 * n]]
    return torch.cat(blocks, dim=1).t().contiguous()


def tensor(p):
    rows, cols = p["shape"]
    return torch.tensor(p["values"], dtype=torch.float32).reshape(rows, cols)


def train_once(d):
    started = time.perf_counter()
    cpu_started = time.process_time()
    f, n, length = d["features"], d["units"], d["length"]
    series = torch.tensor(d["series"], dtype=torch.float32)
    starts = d["starts"]
    index = {s: k for k, s in enumerate(starts)}
    x = torch.zeros(len(starts), length, f)
    y = torch.empty(len(starts), length, f)
    for k, s in enumerate(starts):
        x[k, 1:] = series[s:s + length - 1]
        y[k] = series[s:s + length]
    batches = [torch.tensor([index[s] for s in b]) for b in d["minibatches"]]

    lstm = torch.nn.LSTM(f, n, batch_first=True)
    out = torch.nn.Linear(n, f)
    p = d["parameters"]
    with torch.no_grad():
        lstm.weight_ih_l0.copy_(dl4j_to_torch_rows(tensor(p["0_W"]), n))
        lstm.weight_hh_l0.copy_(dl4j_to_torch_rows(tensor(p["0_RW"]), n))
        lstm.bias_ih_l0.copy_(dl4j_to_torch_rows(tensor(p["0_b"]), n).reshape(-1))
        lstm.bias_hh_l0.zero_()  # DL4J's LSTM has one bias: keep the second one at zero, untrained
        out.weight.copy_(tensor(p["1_W"]).t())
        out.bias.copy_(tensor(p["1_b"]).reshape(-1))
    lstm.bias_hh_l0.requires_grad_(False)
    params = [lstm.weight_ih_l0, lstm.weight_hh_l0, lstm.bias_ih_l0, out.weight, out.bias]
    m = [torch.zeros_like(q) for q in params]
    v = [torch.zeros_like(q) for q in params]
    lr = d["learningRate"]

    for t, b in enumerate(batches):
        h, _ = lstm(x[b])
        loss = (out(h) - y[b]).abs().mean(dim=2).sum(dim=1).mean()
        for q in params:
            q.grad = None
        loss.backward()
        alpha = lr * math.sqrt(1 - BETA2 ** (t + 1)) / (1 - BETA1 ** (t + 1))
        with torch.no_grad():
            for q, mq, vq in zip(params, m, v):
                g = q.grad
                mq.mul_(BETA1).add_(g, alpha=1 - BETA1)
                vq.mul_(BETA2).addcmul_(g, g, value=1 - BETA2)
                q.addcdiv_(mq, vq.sqrt().add_(EPS), value=-alpha)

    # training MAE as WellWatch reports it: one pass over each contiguous run of the series from a
    # reset state (a gap resets, as scoring does), predictions scaled back to raw differences
    with torch.no_grad():
        scale = torch.tensor(d["scale"], dtype=torch.float32)
        diff = torch.tensor(d["differences"], dtype=torch.float64)
        bounds = list(d.get("runs", [0])) + [series.shape[0]]
        total = 0.0
        for a, b in zip(bounds[:-1], bounds[1:]):
            if b == a:
                continue
            inp = torch.zeros(1, b - a, f)
            inp[0, 1:] = series[a:b - 1]
            h, _ = lstm(inp)
            pred = (out(h)[0] * scale).double()
            total += (pred - diff[a:b]).abs().sum().item()
        mae = total / (series.shape[0] * f)
    return (time.perf_counter() - started) * 1000.0, (time.process_time() - cpu_started) * 1000.0, mae


def main():
    d = json.load(open(sys.argv[1]))
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    for k in range(runs + 1):
        ms, cpu_ms, mae = train_once(d)
        print(json.dumps({"run": k, "warmup": k == 0, "ms": ms, "cpuMs": cpu_ms, "mae": mae,
                          "torch": torch.__version__, "threads": torch.get_num_threads()}), flush=True)


if __name__ == "__main__":
    main()
