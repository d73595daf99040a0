#!/usr/bin/env python3
"""Independent numpy reference for KeyDet's decoder and post-processing tests.

A straightforward port of CenterNet's (xingyizhou/CenterNet, src/lib/models/decode.py) ``ctdet_decode``:
``_nms`` = 3x3 max pool (stride 1, padding 1, borders padded with -inf) and ``heat * (hmax == heat)``;
``_topk`` = top K per class over H*W, then top K of those C*K (class = index // K); gather of ``wh`` and
``reg``; no ``reg`` -> +0.5; category-specific ``wh`` takes channels (2c, 2c + 1). Ties: numpy's stable sort,
lower index first (PyTorch leaves the order of ties undefined; the Java test compares tied rows as sets).

Also CenterNet's ``get_affine_transform`` (utils/image.py) with ``cv2.getAffineTransform`` replaced by the
equivalent exact solve of the three point pairs (float32 triangles, as cv2 takes them), and
``affine_transform`` applied in float64, for the post-processing back-transform test.

Usage (from the repository root; Debian python3-numpy only):
    /usr/bin/python3 tools/testdata/ctdet_reference.py detector-core/src/test/resources/decode/ctdet
Deterministic: fixed seed, same files on every run.
"""
import json
import os
import sys

import numpy as np


def max_pool_same(heat, kernel):
    """[N, C, H, W] max pool, stride 1, padding (k-1)/2 with -inf."""
    pad = (kernel - 1) // 2
    n, c, h, w = heat.shape
    padded = np.pad(heat, ((0, 0), (0, 0), (pad, pad), (pad, pad)), constant_values=-np.inf)
    out = np.full(heat.shape, -np.inf, dtype=heat.dtype)
    for dy in range(kernel):
        for dx in range(kernel):
            out = np.maximum(out, padded[:, :, dy:dy + h, dx:dx + w])
    return out


def nms(heat, kernel=3):
    hmax = max_pool_same(heat, kernel)
    keep = (hmax == heat).astype(heat.dtype)
    return heat * keep


def topk_desc(values, k):
    """Top k along the last axis, descending, ties lower index first."""
    order = np.argsort(-values, axis=-1, kind="stable")[..., :k]
    return np.take_along_axis(values, order, axis=-1), order


def topk(scores, k):
    n, c, h, w = scores.shape
    topk_scores, topk_inds = topk_desc(scores.reshape(n, c, -1), k)      # [N, C, K]
    topk_inds = topk_inds % (h * w)
    topk_ys = (topk_inds // w).astype(np.float32)
    topk_xs = (topk_inds % w).astype(np.float32)
    topk_score, topk_ind = topk_desc(topk_scores.reshape(n, -1), k)      # [N, K]
    topk_clses = (topk_ind // k).astype(np.float32)
    gather = lambda a: np.take_along_axis(a.reshape(n, -1), topk_ind, axis=1)
    return topk_score, gather(topk_inds), topk_clses, gather(topk_ys), gather(topk_xs)


def transpose_and_gather(feat, inds):
    """feat [N, D, H, W], inds [N, K] -> [N, K, D]."""
    n, d = feat.shape[:2]
    flat = feat.reshape(n, d, -1).transpose(0, 2, 1)                     # [N, HW, D]
    return np.take_along_axis(flat, inds[:, :, None].repeat(d, axis=2), axis=1)


def ctdet_decode(heat, wh, reg=None, cat_spec_wh=False, k=100, kernel=3):
    n, c = heat.shape[:2]
    heat = nms(heat, kernel)
    scores, inds, clses, ys, xs = topk(heat, k)
    if reg is not None:
        r = transpose_and_gather(reg, inds)
        xs = xs + r[:, :, 0]
        ys = ys + r[:, :, 1]
    else:
        xs = xs + np.float32(0.5)
        ys = ys + np.float32(0.5)
    g = transpose_and_gather(wh, inds)
    if cat_spec_wh:
        g = g.reshape(n, k, c, 2)
        g = np.take_along_axis(g, clses.astype(np.int64)[:, :, None, None].repeat(2, axis=3), axis=2)[:, :, 0, :]
    half_w = g[:, :, 0] / np.float32(2)
    half_h = g[:, :, 1] / np.float32(2)
    boxes = np.stack([xs - half_w, ys - half_h, xs + half_w, ys + half_h], axis=2)
    return np.concatenate([boxes, scores[:, :, None], clses[:, :, None]], axis=2).astype(np.float32)


def make_heads(rng):
    n, c, h, w = 2, 5, 16, 16
    # sigmoid-like background: mostly small values
    heat = (rng.random((n, c, h, w)) ** 3 * 0.2).astype(np.float32)
    heat[0, 1, 7, 9] = 0.93          # a clear peak
    heat[0, 3, 0, 0] = 0.81          # peak in a corner
    heat[0, 2, 15, 6] = 0.77         # peak on the bottom border
    heat[0, 4, 4, 4] = 0.66          # plateau of two equal maxima: both survive
    heat[0, 4, 4, 5] = 0.66
    heat[1, 0, 10, 15] = 0.88        # right border
    heat[1, 2, 3, 3] = 0.55          # equal scores in two classes
    heat[1, 3, 12, 12] = 0.55
    heat[1, 1, 8, 8] = 0.70          # a peak with a slightly smaller neighbour (suppressed)
    heat[1, 1, 8, 9] = 0.69
    wh = (rng.random((n, 2, h, w)) * 12 + 1).astype(np.float32)
    wh_cat = (rng.random((n, 2 * c, h, w)) * 12 + 1).astype(np.float32)
    reg = rng.random((n, 2, h, w)).astype(np.float32)
    return heat, wh, wh_cat, reg


def sigmoid(x):
    """In float64, rounded to float32 once (as KeyDet's Activation.sigmoid; a float32 numpy sigmoid is 1 ulp off)."""
    return (1 / (1 + np.exp(-x.astype(np.float64)))).astype(np.float32)


def get_3rd_point(a, b):
    direct = a - b
    return b + np.array([-direct[1], direct[0]], dtype=np.float32)


def get_affine_transform(center, scale, rot, output_size, inv=False):
    """CenterNet's, with cv2.getAffineTransform as an exact 3-point solve (float32 points, float64 matrix)."""
    if not isinstance(scale, np.ndarray) and not isinstance(scale, list):
        scale = np.array([scale, scale], dtype=np.float32)
    src_w = scale[0]
    dst_w, dst_h = output_size
    rot_rad = np.pi * rot / 180
    sn, cs = np.sin(rot_rad), np.cos(rot_rad)
    src_dir = np.array([0 * cs - (src_w * -0.5) * sn, 0 * sn + (src_w * -0.5) * cs], np.float32)
    dst_dir = np.array([0, dst_w * -0.5], np.float32)
    src = np.zeros((3, 2), dtype=np.float32)
    dst = np.zeros((3, 2), dtype=np.float32)
    src[0, :] = center
    src[1, :] = center + src_dir
    dst[0, :] = [dst_w * 0.5, dst_h * 0.5]
    dst[1, :] = np.array([dst_w * 0.5, dst_h * 0.5], np.float32) + dst_dir
    src[2:, :] = get_3rd_point(src[0, :], src[1, :])
    dst[2:, :] = get_3rd_point(dst[0, :], dst[1, :])
    a, b = (dst, src) if inv else (src, dst)
    # getAffineTransform: M (2x3) with M @ [x, y, 1] = b for the three points of a
    m = np.linalg.solve(np.hstack([a.astype(np.float64), np.ones((3, 1))]), b.astype(np.float64)).T
    return m


def affine_transform(pt, t):
    return (t @ np.array([pt[0], pt[1], 1.0], dtype=np.float64))[:2]


def main(out_dir):
    os.makedirs(out_dir, exist_ok=True)
    rng = np.random.default_rng(20240611)
    heat, wh, wh_cat, reg = make_heads(rng)
    np.save(os.path.join(out_dir, "heat.npy"), heat)
    np.save(os.path.join(out_dir, "wh.npy"), wh)
    np.save(os.path.join(out_dir, "wh_cat.npy"), wh_cat)
    np.save(os.path.join(out_dir, "reg.npy"), reg)
    # case A: 2-channel wh + reg, K = 40; case B: category-specific wh, no reg, K = 60
    np.save(os.path.join(out_dir, "dets_wh_reg_k40.npy"), ctdet_decode(heat, wh, reg, False, 40))
    np.save(os.path.join(out_dir, "dets_catwh_noreg_k60.npy"), ctdet_decode(heat, wh_cat, None, True, 60))
    # case C: the same map as logits, decoded CornerNet-style (sigmoid first, then the same NMS/top-K)
    logits = np.log(heat / (1 - heat)).astype(np.float32)
    np.save(os.path.join(out_dir, "logits.npy"), logits)
    np.save(os.path.join(out_dir, "dets_logits_k40.npy"),
            ctdet_decode(sigmoid(logits).astype(np.float32), wh, reg, False, 40))

    # post-processing: CenterNet's inverse affine for a 640x480 image, 512 input, 128 output
    affine = []
    for (w, h) in [(640, 480), (333, 517)]:
        c = np.array([w / 2.0, h / 2.0], dtype=np.float32)
        s = max(h, w) * 1.0
        trans = get_affine_transform(c, s, 0, [128, 128], inv=True)
        points = [[0.0, 0.0], [10.0, 20.0], [64.0, 64.0], [100.25, 77.5], [127.0, 3.5]]
        mapped = [affine_transform(p, trans).tolist() for p in points]
        affine.append({"width": w, "height": h, "output": 128, "input": 512,
                       "points_output": points, "points_image": mapped})
    with open(os.path.join(out_dir, "affine.json"), "w") as f:
        json.dump({"source": "CenterNet get_affine_transform(c=(w/2,h/2), s=max(h,w), rot 0, [128,128], inv=1)"
                   " + affine_transform", "cases": affine}, f, indent=1)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "detector-core/src/test/resources/decode/ctdet")
