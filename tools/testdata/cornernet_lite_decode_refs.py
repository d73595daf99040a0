#!/usr/bin/env python3
"""Reference rows of CornerNet-Lite's own ``_decode`` for the CornerNet decoder of detector-core.

Runs the ORIGINAL upstream function (princeton-vl/CornerNet-Lite core/models/py_utils/utils.py ``_decode``),
extracted from a snapshot of that repository into a temporary directory and imported from there (never copied
into this repository), on seeded random heads of an 80-class 64x64 map, in two settings:

  kernel1   K 100, kernel 1 (the function's own default: no peak NMS), ae_threshold 0.5, num_dets 1000
  noborder  K 100, kernel 3, ae_threshold 0.5, num_dets 1000, no_border True
  kernel5   K 100, kernel 5 (a window wider than the test configs' 3), ae_threshold 0.5, num_dets 1000

and keeps the rows ``core/test/cornernet.py`` keeps (``detections[:, 4] > -1``).

The heat maps are mostly a constant background logit (-8) with a few thousand random cells per map (most in 4 of
the 80 classes, so that a few hundred pairs agree in class), so that the .npz stays small (saved sparse: see
save_heads) and the top 100 of each map are one set: the script checks that the 100th and 101st sigmoids differ
by more than 1e-6. That check matters: on heat maps with saturated logits (e.g. normal, sd 4) the 100th and 101st
are equal, torch.topk picks among the tied cells in no defined order and torch's float32 sigmoid differs from a
correctly rounded one by one ulp in about a third of the cells, so the corner sets, and with them the number of
rows, differ from any other implementation's (31 vs 32, 26 vs 28 rows seen here) without either being wrong.

Usage (from the repository root):
  /usr/bin/python3 tools/testdata/cornernet_lite_decode_refs.py \
      [--upstream /work/.mirror/princeton-vl+CornerNet-Lite/repo/.git]
Writes detector-core/src/test/resources/decode/cornernet_lite/{heads.npz, kernel1.txt, noborder.txt, kernel5.txt,
cases.json}. Row format: "batch score class x1 y1 x2 y2" (output-map cells), best first, float32 repr.
"""
import argparse
import importlib.util
import json
import os
import subprocess
import tempfile

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "..", "detector-core", "src", "test", "resources", "decode", "cornernet_lite")
DEFAULT_UPSTREAM = "/work/.mirror/princeton-vl+CornerNet-Lite/repo/.git"
F32 = np.float32


def load_upstream_utils(git_dir):
    """Imports core/models/py_utils/utils.py of the snapshot's HEAD (it needs only torch)."""
    commit = subprocess.check_output(["git", "--git-dir", git_dir, "rev-parse", "HEAD"], text=True).strip()
    tmp = tempfile.mkdtemp(prefix="cornernet-lite-")
    path = os.path.join(tmp, "upstream_utils.py")
    with open(path, "wb") as f:
        f.write(subprocess.check_output(["git", "--git-dir", git_dir, "show",
                                         commit + ":core/models/py_utils/utils.py"]))
    spec = importlib.util.spec_from_file_location("upstream_utils", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod, commit


BACKGROUND = -8.0


def sparse_heat(rng, c, h, w):
    """Background logit -8 with 3000 random cells in classes 0-3 and 1000 in the other 76 classes."""
    heat = np.full((1, c, h, w), BACKGROUND, F32)
    flat = heat.reshape(-1)
    few = rng.choice(4 * h * w, 3000, replace=False)
    rest = 4 * h * w + rng.choice((c - 4) * h * w, 1000, replace=False)
    cells = np.concatenate([few, rest])
    flat[cells] = rng.normal(0.0, 2.0, cells.size).astype(F32)
    return heat


def make_heads(seed):
    rng = np.random.default_rng(seed)
    c, h, w = 80, 64, 64
    return {
        "tl_heat": sparse_heat(rng, c, h, w),
        "br_heat": sparse_heat(rng, c, h, w),
        "tl_tag": rng.normal(0, 0.3, (1, 1, h, w)).astype(F32),
        "br_tag": rng.normal(0, 0.3, (1, 1, h, w)).astype(F32),
        "tl_regr": rng.uniform(0, 1, (1, 2, h, w)).astype(F32),
        "br_regr": rng.uniform(0, 1, (1, 2, h, w)).astype(F32),
    }


def check_distinct_top(heat, k, kernel, utils):
    """The K-th and (K+1)-th values of the NMS'd sigmoid map differ, so top-K is one set whatever the tie order."""
    t = utils._nms(torch.sigmoid(torch.from_numpy(heat)), kernel=kernel).view(-1)
    top = torch.topk(t, k + 1)[0]
    assert top[k - 1] - top[k] > 1e-6, "ties at the top-K boundary"


def save_heads(path, heads):
    """Uncompressed .npz (ND4J reads no deflated entries): the dense small heads as they are, each heat map as
    its shape, the background logit and the (flat NCHW index, value) of its other cells."""
    out = {}
    for name, arr in heads.items():
        if name.endswith("_heat"):
            flat = arr.reshape(-1)
            cells = np.nonzero(flat != F32(BACKGROUND))[0]
            out[name + "_shape"] = np.array(arr.shape, np.int32)
            out[name + "_background"] = np.array([BACKGROUND], F32)
            out[name + "_cells"] = cells.astype(np.int32)
            out[name + "_values"] = flat[cells]
        else:
            out[name] = arr
    np.savez(path, **out)


def fmt(v):
    return np.format_float_scientific(F32(v), unique=True, trim="-")


def run(utils, heads, k, kernel, ae, num_dets, no_border):
    t = {n: torch.from_numpy(a) for n, a in heads.items()}
    with torch.no_grad():
        det = utils._decode(t["tl_heat"], t["br_heat"], t["tl_tag"], t["br_tag"], t["tl_regr"], t["br_regr"],
                            K=k, kernel=kernel, ae_threshold=ae, num_dets=num_dets, no_border=no_border)
    det = det.numpy()
    rows = []
    for b in range(det.shape[0]):
        d = det[b]
        d = d[d[:, 4] > -1]  # core/test/cornernet.py
        for r in d:
            rows.append("%d %s %d %s %s %s %s" % (b, fmt(r[4]), int(r[7]), fmt(r[0]), fmt(r[1]), fmt(r[2]),
                                                  fmt(r[3])))
    return rows


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--upstream", default=DEFAULT_UPSTREAM, help="git directory of the CornerNet-Lite snapshot")
    a = ap.parse_args()
    utils, commit = load_upstream_utils(a.upstream)
    heads = make_heads(20261207)
    os.makedirs(OUT, exist_ok=True)
    save_heads(os.path.join(OUT, "heads.npz"), heads)
    cases = {}
    for name, kernel, no_border in (("kernel1", 1, False), ("noborder", 3, True), ("kernel5", 5, False)):
        for m in ("tl_heat", "br_heat"):
            check_distinct_top(heads[m], 100, kernel, utils)
        rows = run(utils, heads, 100, kernel, 0.5, 1000, no_border)
        with open(os.path.join(OUT, name + ".txt"), "w") as f:
            f.write("\n".join(rows) + "\n")
        cases[name] = {"K": 100, "kernel": kernel, "ae_threshold": 0.5, "num_dets": 1000, "no_border": no_border,
                       "rows": len(rows)}
        print(name, len(rows), "rows")
    with open(os.path.join(OUT, "cases.json"), "w") as f:
        json.dump({"upstream": "github:princeton-vl/CornerNet-Lite", "commit": commit,
                   "function": "core/models/py_utils/utils.py _decode", "cases": cases}, f, indent=2)
        f.write("\n")


if __name__ == "__main__":
    main()
