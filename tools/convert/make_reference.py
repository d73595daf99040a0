#!/usr/bin/python3
"""Letterbox the sample images for the default model and summarise its detections.

Two steps around an ONNX run (ONNX Runtime runs in node, see compare_tfjs_onnx.mjs):

  make_reference.py letterbox SAMPLES_DIR WORK_DIR
      for each SAMPLES_DIR/<name>.png writes WORK_DIR/<name>.npy: float32 [1,512,512,3] NHWC RGB 0..255,
      and WORK_DIR/letterbox.json (original size, scale, resized size, offsets per image)

  make_reference.py summarize WORK_DIR OUTPUTS_DIR REFERENCE_DIR [--input-for NAME]
      reads OUTPUTS_DIR/<name>.detections.npy (ONNX output tower_0/detections), copies it to
      REFERENCE_DIR/<name>.detections.npy, copies WORK_DIR/<NAME>.npy to REFERENCE_DIR/<NAME>.input.npy,
      and writes REFERENCE_DIR/detections.json (letterbox parameters and the top detections of each image
      in original image pixels).

  make_reference.py decode-check OUTPUTS_DIR
      re-decodes OUTPUTS_DIR/<name>.keypoints.npy + <name>.wh.npy in numpy (3x3 max-pool peak NMS with
      -inf borders, one stable top-100 over H*W*C in NHWC order, float32 box arithmetic) and prints the max
      abs difference to <name>.detections.npy (0.0 = the graph's decoder reproduced exactly)

Letterbox (the training repo's FaceDetector.preprocess, 610265158/mobilenetv3_centernet):
  scale = min(512 / h, 512 / w)
  new_w = floor(w * scale + 0.5), new_h = floor(h * scale + 0.5)       (rounded to nearest, like cv2.resize)
  resized = bilinear resize of the uint8 RGB image to (new_w, new_h): half-pixel centres,
            src = (dst + 0.5) * (src_size / new_size) - 0.5, clamped to [0, src_size - 1] (edge replicate),
            no antialiasing, computed in float64, stored as float32 WITHOUT rounding to integers
  dx = (512 - new_w) // 2, dy = (512 - new_h) // 2                     (floor)
  input[dy:dy + new_h, dx:dx + new_w] = resized, zeros elsewhere
Back to the original image: x = (x_in - dx) / scale, y = (y_in - dy) / scale, then clipped to
[0, w] x [0, h].
"""
import argparse
import json
import os
import shutil

import numpy as np
from PIL import Image

SIZE = 512

COCO80 = [
    "person", "bicycle", "car", "motorcycle", "airplane", "bus", "train", "truck", "boat",
    "traffic light", "fire hydrant", "stop sign", "parking meter", "bench", "bird", "cat", "dog",
    "horse", "sheep", "cow", "elephant", "bear", "zebra", "giraffe", "backpack", "umbrella",
    "handbag", "tie", "suitcase", "frisbee", "skis", "snowboard", "sports ball", "kite",
    "baseball bat", "baseball glove", "skateboard", "surfboard", "tennis racket", "bottle",
    "wine glass", "cup", "fork", "knife", "spoon", "bowl", "banana", "apple", "sandwich", "orange",
    "broccoli", "carrot", "hot dog", "pizza", "donut", "cake", "chair", "couch", "potted plant",
    "bed", "dining table", "toilet", "tv", "laptop", "mouse", "remote", "keyboard", "cell phone",
    "microwave", "oven", "toaster", "sink", "refrigerator", "book", "clock", "vase", "scissors",
    "teddy bear", "hair drier", "toothbrush",
]


def bilinear_resize(img, new_h, new_w):
    """Half-pixel-centre bilinear resize (no antialiasing) of an HxWxC array, float64 result."""
    h, w = img.shape[:2]
    src = img.astype(np.float64)

    def axis(n_out, n_in):
        s = (np.arange(n_out, dtype=np.float64) + 0.5) * (n_in / n_out) - 0.5
        s = np.clip(s, 0.0, n_in - 1)
        i0 = np.floor(s).astype(np.int64)
        i1 = np.minimum(i0 + 1, n_in - 1)
        return i0, i1, s - i0

    y0, y1, wy = axis(new_h, h)
    x0, x1, wx = axis(new_w, w)
    wx = wx[None, :, None]
    top = src[y0][:, x0] * (1 - wx) + src[y0][:, x1] * wx
    bottom = src[y1][:, x0] * (1 - wx) + src[y1][:, x1] * wx
    wy = wy[:, None, None]
    return top * (1 - wy) + bottom * wy


def letterbox(img, size=SIZE):
    SIZE = size  # noqa: N806 (the model input size: 512 for the default model, 256 for MoveNet)
    h, w = img.shape[:2]
    scale = min(SIZE / h, SIZE / w)
    new_w = min(SIZE, int(np.floor(w * scale + 0.5)))
    new_h = min(SIZE, int(np.floor(h * scale + 0.5)))
    dx, dy = (SIZE - new_w) // 2, (SIZE - new_h) // 2
    out = np.zeros((1, SIZE, SIZE, 3), np.float32)
    out[0, dy:dy + new_h, dx:dx + new_w] = bilinear_resize(img, new_h, new_w).astype(np.float32)
    meta = dict(width=w, height=h, scale=scale, resized_width=new_w, resized_height=new_h, dx=dx, dy=dy)
    return out, meta


def cmd_letterbox(args):
    os.makedirs(args.work_dir, exist_ok=True)
    metas = {}
    for fn in sorted(os.listdir(args.samples_dir)):
        if not fn.lower().endswith((".png", ".jpg", ".jpeg")):
            continue
        name = os.path.splitext(fn)[0]
        img = np.asarray(Image.open(os.path.join(args.samples_dir, fn)).convert("RGB"))
        x, meta = letterbox(img, args.size)
        if args.integer:
            # MoveNet's TF.js graph takes int32 pixels: round so that both runtimes see the same values
            x = np.floor(x + 0.5).astype(np.float32)
        meta["file"] = fn
        np.save(os.path.join(args.work_dir, name + ".npy"), x)
        metas[name] = meta
        print(name, meta)
    with open(os.path.join(args.work_dir, "letterbox.json"), "w") as f:
        json.dump(metas, f, indent=2, sort_keys=True)


def cmd_summarize(args):
    metas = json.load(open(os.path.join(args.work_dir, "letterbox.json")))
    os.makedirs(args.reference_dir, exist_ok=True)
    summary = {
        "model": "centernet-mobilenetv3-coco.onnx",
        "letterbox": "scale = min(512/h, 512/w); new = floor(size*scale + 0.5); bilinear half-pixel resize "
                     "(src = (dst+0.5)*src_size/new_size - 0.5, edge clamp, no antialias, float, not rounded); "
                     "pasted at dx = (512-new_w)//2, dy = (512-new_h)//2; zero padding",
        "boxes": "original image pixels: (x_in - dx)/scale, (y_in - dy)/scale, clipped to the image; "
                 "rows of tower_0/detections with score >= %g, in output order, no IoU NMS applied" % args.min_score,
        "images": {},
    }
    for name, meta in sorted(metas.items()):
        det = np.load(os.path.join(args.outputs_dir, name + ".detections.npy"))
        assert det.shape == (1, 100, 6) and det.dtype == np.float32, det.shape
        np.save(os.path.join(args.reference_dir, name + ".detections.npy"), det)
        s, dx, dy, w, h = meta["scale"], meta["dx"], meta["dy"], meta["width"], meta["height"]
        rows = []
        for r in det[0]:
            if r[4] < args.min_score:
                continue
            x1, x2 = [float(np.clip((v - dx) / s, 0, w)) for v in (r[0], r[2])]
            y1, y2 = [float(np.clip((v - dy) / s, 0, h)) for v in (r[1], r[3])]
            rows.append({"label": COCO80[int(r[5])], "class": int(r[5]), "score": round(float(r[4]), 4),
                         "box": [round(x1, 1), round(y1, 1), round(x2, 1), round(y2, 1)],
                         "box_input": [round(float(v), 2) for v in r[:4]]})
        summary["images"][name] = {"file": meta["file"], "letterbox": {k: meta[k] for k in
                                   ("width", "height", "scale", "resized_width", "resized_height", "dx", "dy")},
                                   "detections": rows}
        print(name, [(d["label"], d["score"], d["box"]) for d in rows[:5]])
    if args.input_for:
        shutil.copyfile(os.path.join(args.work_dir, args.input_for + ".npy"),
                        os.path.join(args.reference_dir, args.input_for + ".input.npy"))
    with open(os.path.join(args.reference_dir, "detections.json"), "w") as f:
        json.dump(summary, f, indent=1)
        f.write("\n")


def decode(hm, wh, k=100):
    """The graph's own decoder, in numpy: hm [H,W,C] probabilities, wh [H,W,4] ltrb -> [k,6]."""
    h, w, c = hm.shape
    padded = np.pad(hm, ((1, 1), (1, 1), (0, 0)), constant_values=-np.inf)
    pooled = np.max(np.stack([padded[dy:dy + h, dx:dx + w] for dy in range(3) for dx in range(3)]), 0)
    scores = (hm * (pooled == hm).astype(np.float32)).ravel()
    idx = np.argsort(-scores, kind="stable")[:k]          # ties: lower index first
    cls, cell = idx % c, idx // c
    y, x = cell // w, cell % w
    f4 = np.float32(4)
    xf, yf = x.astype(np.float32), y.astype(np.float32)
    l, t, r, b = (wh[y, x, i] for i in range(4))
    return np.stack([f4 * xf - l, f4 * yf - t, f4 * xf + r, f4 * yf + b, scores[idx], cls.astype(np.float32)], 1)


def cmd_decode_check(args):
    names = sorted(f[:-len(".detections.npy")] for f in os.listdir(args.outputs_dir) if f.endswith(".detections.npy"))
    for name in names:
        load = lambda s: np.load(os.path.join(args.outputs_dir, f"{name}.{s}.npy"))[0]
        diff = np.abs(decode(load("keypoints"), load("wh")) - load("detections")).max()
        print(f"{name}: max|numpy decode - tower_0/detections| = {diff}")


def main():
    ap = argparse.ArgumentParser(description="letterbox sample images / summarise detections")
    sub = ap.add_subparsers(dest="cmd", required=True)
    a = sub.add_parser("letterbox")
    a.add_argument("samples_dir")
    a.add_argument("work_dir")
    a.add_argument("--size", type=int, default=SIZE, help="model input size (default 512; MoveNet: 256)")
    a.add_argument("--integer", action="store_true", help="round the pixels to integers (int32-input models)")
    b = sub.add_parser("summarize")
    b.add_argument("work_dir")
    b.add_argument("outputs_dir")
    b.add_argument("reference_dir")
    b.add_argument("--input-for", help="also copy this image's letterboxed input")
    b.add_argument("--min-score", type=float, default=0.1)
    c = sub.add_parser("decode-check")
    c.add_argument("outputs_dir")
    args = ap.parse_args()
    {"letterbox": cmd_letterbox, "summarize": cmd_summarize, "decode-check": cmd_decode_check}[args.cmd](args)


if __name__ == "__main__":
    main()
