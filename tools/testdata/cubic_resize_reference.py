#!/usr/bin/env python3
"""OpenCV reference outputs for KeyDet's CubicResize (detector-core, package core.segment).

DEXTR's helpers.py crops with zero padding (crop_from_bbox(..., zero_pad=True)) and resizes with
cv2.resize(..., interpolation=cv2.INTER_CUBIC) (fixed_resize; INTER_NEAREST when the crop is all 0/1) and, for the
probabilities, cv2.resize(float32 map, INTER_CUBIC) (crop2fullmask). This script runs cv2 itself on small random
images so that the Java primitives are checked against OpenCV, not against themselves:

* "bytes" cases: a random uint8 image [h, w, cn]; the box x1, y1, x2, y2 (inclusive, may leave the image: the part
  outside is zeros, built with numpy slicing as crop_from_bbox does); cv2 INTER_CUBIC and INTER_NEAREST of the
  crop to (dw, dh). Sizes include 1-pixel sources and destinations, up- and downsampling, boxes past every border.
* "floats" cases: a random float32 map [sh, sw] in 0..1; cv2 INTER_CUBIC to (dw, dh) (widths with and without
  dw % 4 == 0: OpenCV's SIMD vertical pass and its scalar tail sum in different orders).

Arrays are base64 of the raw little-endian bytes, row-major (uint8 [h][w][cn]; float32 [h][w]).
Deterministic (numpy seed 20261207).

Usage: /usr/bin/python3 tools/testdata/cubic_resize_reference.py
Writes detector-core/src/test/resources/segment/cubic_cv2.json.
"""
import base64
import json
import os

import cv2
import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "detector-core", "src", "test", "resources", "segment", "cubic_cv2.json")


def b64(a):
    return base64.b64encode(np.ascontiguousarray(a).tobytes()).decode("ascii")


def padded_crop(img, x1, y1, x2, y2):
    h, w = img.shape[:2]
    crop = np.zeros((y2 - y1 + 1, x2 - x1 + 1, img.shape[2]), dtype=img.dtype)
    ix1, iy1, ix2, iy2 = max(x1, 0), max(y1, 0), min(x2, w - 1), min(y2, h - 1)
    if ix1 <= ix2 and iy1 <= iy2:
        crop[iy1 - y1:iy2 - y1 + 1, ix1 - x1:ix2 - x1 + 1] = img[iy1:iy2 + 1, ix1:ix2 + 1]
    return crop


def main():
    rng = np.random.RandomState(20261207)
    byte_cases = []
    # (w, h, cn, box, dw, dh)
    fixed = [
        (1, 1, 3, (0, 0, 0, 0), 7, 5),
        (1, 1, 3, (-3, -2, 2, 1), 9, 4),
        (9, 1, 3, (0, 0, 8, 0), 13, 3),
        (1, 9, 1, (0, 0, 0, 8), 2, 11),
        (16, 12, 3, (-5, -4, 20, 15), 32, 24),
        (20, 20, 3, (3, 2, 17, 19), 1, 1),
        (37, 29, 3, (0, 0, 36, 28), 5, 6),
        (12, 10, 3, (8, 6, 25, 22), 17, 19),
        (12, 10, 3, (-9, -7, 2, 3), 16, 16),
        (24, 18, 1, (2, 3, 21, 15), 31, 9),
    ]
    for _ in range(8):
        w, h = rng.randint(1, 25, size=2)
        x1 = int(rng.randint(-6, w))
        y1 = int(rng.randint(-6, h))
        x2 = int(x1 + rng.randint(0, 30))
        y2 = int(y1 + rng.randint(0, 30))
        fixed.append((int(w), int(h), 3, (x1, y1, x2, y2), int(rng.randint(1, 33)), int(rng.randint(1, 33))))
    for w, h, cn, (x1, y1, x2, y2), dw, dh in fixed:
        img = rng.randint(0, 256, size=(h, w, cn)).astype(np.uint8)
        crop = padded_crop(img, x1, y1, x2, y2)
        cubic = cv2.resize(crop, (dw, dh), interpolation=cv2.INTER_CUBIC).reshape(dh, dw, cn)
        nearest = cv2.resize(crop, (dw, dh), interpolation=cv2.INTER_NEAREST).reshape(dh, dw, cn)
        byte_cases.append({"width": w, "height": h, "cn": cn, "box": [x1, y1, x2, y2], "dw": dw, "dh": dh,
                           "image": b64(img), "cubic": b64(cubic), "nearest": b64(nearest)})
    float_cases = []
    sizes = [(1, 1, 5, 3), (1, 7, 4, 9), (7, 1, 9, 2), (8, 8, 33, 29), (20, 17, 12, 13), (13, 19, 5, 40),
             (32, 32, 8, 8), (6, 9, 23, 14)]
    for sw, sh, dw, dh in sizes:
        src = rng.rand(sh, sw).astype(np.float32)
        out = cv2.resize(src, (dw, dh), interpolation=cv2.INTER_CUBIC)
        float_cases.append({"sw": sw, "sh": sh, "dw": dw, "dh": dh, "src": b64(src), "out": b64(out)})
    with open(OUT, "w") as f:
        json.dump({"opencv": cv2.__version__, "bytes": byte_cases, "floats": float_cases}, f, indent=0)
    print("wrote", OUT, len(byte_cases), "byte cases", len(float_cases), "float cases")


if __name__ == "__main__":
    main()
