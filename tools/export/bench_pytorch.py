#!/usr/bin/env python3
"""PyTorch eager CPU timing of a KeyDet export definition (the reference the ONNX Runtime numbers compare to).

  python3 tools/export/bench_pytorch.py --arch dla34 --task ctdet --threads 2 --runs 20 [--input-size 512]

Weights are the deterministic near-identity init (timing does not depend on values); batch 1, no_grad,
eval mode, float32. Prints images/s and p50 / mean / min latency in ms after --warmup runs.
"""
import argparse
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import torch  # noqa: E402

from keydet_export import registry  # noqa: E402
from keydet_export.init import near_identity_  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--arch", required=True, choices=registry.ARCHS)
    ap.add_argument("--task", required=True, choices=registry.TASKS)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--runs", type=int, default=20)
    ap.add_argument("--warmup", type=int, default=2)
    ap.add_argument("--input-size", type=int, default=512)
    ap.add_argument("--keep-denormals", action="store_true",
                    help="do not flush denormals (random near-identity weights produce many; real weights few)")
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.set_flush_denormal(not a.keep_denormals)
    model, _ = registry.build(a.arch, a.task)
    near_identity_(model)
    model.eval()
    x = torch.randn(1, 3, a.input_size, a.input_size)
    times = []
    with torch.no_grad():
        for i in range(a.warmup + a.runs):
            t0 = time.perf_counter()
            model(x)
            dt = (time.perf_counter() - t0) * 1000
            if i >= a.warmup:
                times.append(dt)
    times.sort()
    p50 = times[len(times) // 2]
    mean = sum(times) / len(times)
    print("%s/%s %dx%d threads=%d runs=%d: %.2f images/s, p50 %.1f ms, mean %.1f ms, min %.1f ms (torch %s)"
          % (a.arch, a.task, a.input_size, a.input_size, a.threads, a.runs, 1000.0 / mean, p50, mean, times[0],
             torch.__version__))


if __name__ == "__main__":
    main()
