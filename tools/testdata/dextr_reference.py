#!/usr/bin/env python3
"""Reference data for KeyDet's DEXTR segmenter, produced by the UPSTREAM code:

* ExtremeNet's `dextr.py` `Dextr.segment()` (xingyizhou/ExtremeNet), which calls DEXTR's
  `dataloaders/helpers.py` (scaelles/DEXTR-PyTorch): get_bbox, crop_from_bbox, fixed_resize (cv2 INTER_CUBIC),
  make_gt, cstm_normalize, crop2fullmask (cv2 INTER_CUBIC, relax 50, zero_pad) and the 0.8 threshold;
* with the network replaced by the PyTorch twin of the committed tiny export (keydet_export.dextr, tiny,
  seed 0, i.e. `export.py --arch dextr --tiny`), returning the stride-8 logits so that segment() does its
  own `upsample(..., (512, 512), bilinear, align_corners=True)`;
* on the sample images, read as ExtremeNet's eval_dextr_mask.py reads them (`cv2.imread(p)[:, :, ::-1]`),
  with int32 extreme points, some on the image border (so the 50 px relax needs zero padding).

Nothing is re-implemented; only: `np.int = int` (numpy 1.24 removed the alias segment() uses) and a stub
`matplotlib` module (dextr.py imports pyplot at top level, only its __main__ uses it; not installed here).
Intermediates are captured by wrapping the network's forward and helpers.crop2fullmask.

  git --git-dir=<mirror of scaelles/DEXTR-PyTorch> archive HEAD | tar -x -C /tmp/up/dextr
  git --git-dir=<mirror of xingyizhou/ExtremeNet> archive HEAD | tar -x -C /tmp/up/extremenet
  /usr/bin/python3 tools/export/export.py --arch dextr --tiny --out detector-onnx/src/test/resources/dextr/dextr_tiny.onnx
  /usr/bin/python3 tools/testdata/dextr_reference.py --dextr /tmp/up/dextr --extremenet /tmp/up/extremenet

Writes detector-onnx/src/test/resources/dextr/: cases.json (points, flip, bbox, per-channel sums of the
network input, mask as column-major run lengths, area) and per case <name>.input_sub.npy (network input of
the unflipped item, [4, 64, 64] = rows/cols 3::8), <name>.crop_prob.npy (512x512 probabilities after the
flip average and sigmoid, [1::4, 1::4]), <name>.prob_sub.npy (crop2fullmask output in image pixels, [::4, ::4]).
"""
import argparse
import importlib.util
import json
import os
import sys
import types

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "tools", "export"))

import cv2  # noqa: E402
import numpy as np  # noqa: E402
import torch  # noqa: E402

from keydet_export import dextr as kd_dextr  # noqa: E402

OUT = os.path.join(ROOT, "detector-onnx", "src", "test", "resources", "dextr")
SAMPLES = os.path.join(ROOT, "detector-examples", "samples")

# name, image, points (x, y) as ExtremeNet stores them (t, l, b, r), flip test
CASES = [
    ("astronaut_person", "astronaut.png", [[250, 30], [120, 300], [260, 511], [400, 280]], True),
    ("chelsea_cat", "chelsea.png", [[200, 40], [60, 150], [230, 299], [440, 160]], True),
    ("coffee_borders", "coffee.png", [[300, 0], [0, 200], [310, 399], [599, 210]], False),
    ("astronaut_small", "astronaut.png", [[100, 100], [80, 120], [105, 140], [130, 118]], True),
    ("coffee_inner", "coffee.png", [[150, 100], [90, 180], [160, 260], [240, 170]], False),
    ("chelsea_corner", "chelsea.png", [[5, 0], [0, 3], [20, 40], [35, 10]], True),
]


class Twin(torch.nn.Module):
    """The tiny export's network up to the stride-8 logits (segment() upsamples itself)."""

    def __init__(self, model, log):
        super().__init__()
        self.m, self.log = model, log

    def forward(self, x):
        self.log["input"] = x.detach().numpy().copy()
        m = self.m
        y = m.maxpool(m.relu(m.bn1(m.conv1(x))))
        return m.layer5(m.layer4(m.layer3(m.layer2(m.layer1(y)))))


def column_major_runs(mask):
    flat = np.asarray(mask, dtype=np.uint8).flatten(order="F")
    runs, cur, n = [], 0, 0
    for v in flat:
        if v != cur:
            runs.append(n)
            cur, n = v, 0
        n += 1
    runs.append(n)
    return runs


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--dextr", required=True, help="checkout of scaelles/DEXTR-PyTorch")
    ap.add_argument("--extremenet", required=True, help="checkout of xingyizhou/ExtremeNet")
    a = ap.parse_args()

    np.int = int  # numpy >= 1.24 dropped the alias ExtremeNet's segment() uses (np.int was builtins.int)
    mpl = types.ModuleType("matplotlib")
    mpl.pyplot = types.ModuleType("matplotlib.pyplot")
    sys.modules.setdefault("matplotlib", mpl)
    sys.modules.setdefault("matplotlib.pyplot", mpl.pyplot)
    sys.path.insert(0, os.path.abspath(a.dextr))
    spec = importlib.util.spec_from_file_location("extremenet_dextr", os.path.join(a.extremenet, "dextr.py"))
    up = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(up)
    helpers = up.helpers

    torch.manual_seed(0)  # as export.py --seed 0
    model = kd_dextr.init_random_(kd_dextr.build(tiny=True), seed=0).eval()
    log = {}
    orig = helpers.crop2fullmask

    def crop2fullmask(crop_mask, bbox, **kw):
        log["crop_prob"] = np.array(crop_mask, copy=True)
        log["bbox"] = [int(v) for v in bbox]
        out = orig(crop_mask, bbox, **kw)
        log["full_prob"] = np.array(out, copy=True)
        return out

    helpers.crop2fullmask = crop2fullmask

    os.makedirs(OUT, exist_ok=True)
    cases = []
    for name, image, pts, flip in CASES:
        seg = up.Dextr.__new__(up.Dextr)  # __init__ only loads the published checkpoint
        seg.pad, seg.thres, seg.flip_test, seg.device = 50, 0.8, flip, torch.device("cpu")
        seg.net = Twin(model, log)
        img = cv2.imread(os.path.join(SAMPLES, image))[:, :, ::-1]
        ex = np.array(pts, dtype=np.int32).reshape(4, 2)
        with torch.no_grad():
            mask = seg.segment(img, ex)
        x = log["input"]
        np.save(os.path.join(OUT, name + ".input_sub.npy"), x[0, :, 3::8, 3::8].astype(np.float32))
        np.save(os.path.join(OUT, name + ".crop_prob.npy"), log["crop_prob"][1::4, 1::4].astype(np.float32))
        np.save(os.path.join(OUT, name + ".prob_sub.npy"), log["full_prob"][::4, ::4].astype(np.float32))
        cases.append({"name": name, "image": image, "points": pts, "flip": flip, "bbox": log["bbox"],
                      "height": int(img.shape[0]), "width": int(img.shape[1]), "batch": int(x.shape[0]),
                      "input_channel_sums": [float(s) for s in x[0].astype(np.float64).sum(axis=(1, 2))],
                      "prob_max": float(log["full_prob"].max()),
                      "area": int(mask.sum()), "mask_runs": column_major_runs(mask)})
        print("%-18s bbox %s batch %d area %d prob max %.4f" % (name, log["bbox"], x.shape[0], mask.sum(),
                                                                  log["full_prob"].max()))
    with open(os.path.join(OUT, "cases.json"), "w") as f:
        json.dump({"source": "tools/testdata/dextr_reference.py (ExtremeNet dextr.py segment + DEXTR helpers)",
                   "relax": 50, "threshold": 0.8, "cases": cases}, f, indent=1)


if __name__ == "__main__":
    main()
