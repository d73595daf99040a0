#!/usr/bin/env python3
"""Writes the tiny test models and their reference data for the Java tests:

detector-onnx/src/test/resources/tiny/<arch>_<task>.onnx          tiny model (seed 0), KeyDet metadata
                                      <arch>_<task>.png           synthetic 8-bit image (RGB PNG), size = input
                                      <arch>_<task>.input.npy     float32 NCHW [1,3,H,W]: the PNG in BGR,
                                                                  (v / 255 - mean) / std (identity warp)
                                      <arch>_<task>.<head>.npy    float32 PyTorch eager output of every head
                                      <arch>_<task>.detections.json  upstream decoder run on those heads

hourglass104_gridneighbordet (flags 0, 4, 8) has no ported decoder: its detections.json holds the rows of the
ORIGINAL Wastoon/CenterNet-Multi-Func-Det ``gridneighbordet_decode`` (imported from a snapshot of that repository by
tools/testdata/enhanced_centernet_refs.py, with its training-consistent box formula) on sigmoid(hm), wh, reg, as its
detector calls it; --upstream names the snapshot's git directory (``fetch github:Wastoon/CenterNet-Multi-Func-Det``).

  /usr/bin/python3 tools/export/make_test_resources.py [--only dla34_ctdet ...] [--upstream GIT_DIR]
"""
import argparse
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import numpy as np  # noqa: E402
from PIL import Image  # noqa: E402

import export  # noqa: E402
from keydet_export import decode, registry  # noqa: E402

OUT = os.path.join(os.path.dirname(os.path.dirname(HERE)), "detector-onnx", "src", "test", "resources", "tiny")
TESTDATA = os.path.join(os.path.dirname(HERE), "testdata")


def gridneighbor_reference(heads, flags, upstream, k=100):
    """Rows of the upstream gridneighbordet_decode (training box geometry) per point flag: [x1, y1, x2, y2, score,
    class, flag] in output-map cells, the upstream's order within a flag, rows scoring > 0 only."""
    import torch
    sys.path.insert(0, TESTDATA)
    import enhanced_centernet_refs as refs  # noqa: E402
    up, commit = refs.load_upstream(upstream)
    original = up.gridneighbor_bbox_decode
    up.gridneighbor_bbox_decode = refs.training_bbox_decode
    try:
        with torch.no_grad():
            dets = up.gridneighbordet_decode(torch.from_numpy(heads["hm"]).sigmoid(), torch.from_numpy(heads["wh"]),
                                             list(flags), reg=torch.from_numpy(heads["reg"]), K=k)[0].numpy()
    finally:
        up.gridneighbor_bbox_decode = original
    p = len(flags)
    rows = []
    for i, f in enumerate(flags):
        for r in dets:
            if r[4 * p + i] > 0:
                rows.append([float(v) for v in r[4 * i:4 * i + 4]] + [float(r[4 * p + i]), float(r[5 * p + i]), f])
    return {"decoder": "gridneighbordet_decode (github:Wastoon/CenterNet-Multi-Func-Det@%s, training box formula)"
            % commit, "params": {"K": k, "point_flags": list(flags)},
            "heatmaps_in": "sigmoid(hm), as its detector applies it before decoding",
            "coordinates": "output map (stride 4), before the affine back-transform",
            "note": "per flag in the upstream's order; rows with equal scores have no defined order",
            "columns": ["x1", "y1", "x2", "y2", "score", "class", "flag"], "rows": rows}


def synthetic_image(h, w, seed):
    """RGB uint8: smooth gradient, a few solid rectangles and mild noise (deterministic)."""
    rng = np.random.default_rng(seed)
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    img = np.stack([255 * xx / max(w - 1, 1), 255 * yy / max(h - 1, 1), 128 + 0 * xx], -1)
    for _ in range(4):
        y0, x0 = rng.integers(0, h - 8), rng.integers(0, w - 8)
        y1, x1 = y0 + rng.integers(6, h // 2), x0 + rng.integers(6, w // 2)
        img[y0:y1, x0:x1] = rng.integers(0, 256, 3)
    img += rng.normal(0, 6, img.shape)
    return np.clip(np.round(img), 0, 255).astype(np.uint8)


def preprocess(rgb, meta):
    bgr = rgb[..., ::-1].astype(np.float32)
    mean = np.array([float(v) for v in meta["keydet.mean"].split(",")], np.float32)
    std = np.array([float(v) for v in meta["keydet.std"].split(",")], np.float32)
    x = (bgr * np.float32(float(meta["keydet.value_scale"])) - mean) / std
    return np.ascontiguousarray(x.transpose(2, 0, 1)[None]).astype(np.float32)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--only", nargs="*")
    ap.add_argument("--runner", default="java")
    ap.add_argument("--upstream", default="/work/.mirror/Wastoon+CenterNet-Multi-Func-Det/repo",
                    help="git directory of a Wastoon/CenterNet-Multi-Func-Det snapshot (gridneighbordet reference)")
    a = ap.parse_args()
    os.makedirs(OUT, exist_ok=True)
    summary = []
    for i, (arch, task) in enumerate(registry.PAIRS):
        name = "%s_%s" % (arch, task)
        if (a.only and name not in a.only) or (arch, task) in registry.NOT_TINY:
            continue
        h, w = registry.default_input_size(task, tiny=True, arch=arch)
        meta = registry.metadata(arch, task, (h, w))
        rgb = synthetic_image(h, w, seed=100 + i)
        Image.fromarray(rgb).save(os.path.join(OUT, name + ".png"))
        x = preprocess(rgb, meta)
        prefix = os.path.join(OUT, name)
        np.save(prefix + ".input.npy", x)
        rc = export.main(["--arch", arch, "--task", task, "--tiny", "--seed", "0", "--out", prefix + ".onnx",
                          "--input-npy", prefix + ".input.npy", "--save-reference", prefix + ".tmp",
                          "--runner", a.runner])
        if rc != 0:
            raise SystemExit("export check failed for " + name)
        os.remove(prefix + ".tmp.input.npy")
        heads = {}
        for f in sorted(os.listdir(OUT)):
            if f.startswith(name + ".tmp."):
                head = f[len(name + ".tmp."):-4]
                os.replace(os.path.join(OUT, f), prefix + "." + head + ".npy")
                heads[head] = np.load(prefix + "." + head + ".npy")
        if task == "gridneighbordet":
            dets = gridneighbor_reference(heads, registry.DEFAULT_POINT_FLAGS, a.upstream)
        else:
            dets = decode.decode(task, heads, arch=arch)
        if dets is not None:
            with open(prefix + ".detections.json", "w") as f:
                json.dump(dets, f, indent=1)
        summary.append(name)
    print("wrote", len(summary), "models to", OUT)


if __name__ == "__main__":
    main()
