#!/usr/bin/env python3
"""Reference outputs for the CornerNet, CenterNet-Triplets and ExtremeNet decoders of detector-core.

A numpy port of the upstream decode functions (princeton-vl/CornerNet-Lite core/models/py_utils/utils.py
_decode + core/test/cornernet.py; Duankaiwen/CenterNet models/py_utils/kp_utils.py _decode + test/coco.py
central-region check; xingyizhou/ExtremeNet models/py_utils/kp_utils.py _exct_decode + test/coco_extreme.py;
xingyizhou/CenterNet src/lib/models/decode.py agnex_ct_decode), written from their semantics with the same
broadcast-everything structure (all K x K pairs, all K^4 groups), run on small random heads.

Differences from the originals, on purpose: the sigmoid is computed in float64 and rounded to float32 (as the
Java code does); ties in top-K are broken by index (stable sort), which the originals leave undefined; ExtremeNet's
aggregated scores clamped to 1 are ordered by their unclamped value (also a tie order the originals allow).

Usage: python3 tools/testdata/gen_cornernet_family_refs.py  (writes detector-core/src/test/resources/decode/...)
Output format (text): heads.txt has, per head, a line "name N C H W" and a line of N*C*H*W values (NCHW, C order,
repr of float32); expected.txt has one line per valid candidate, "n score class x1 y1 x2 y2 [points] [point scores]".
"""
import os

import numpy as np

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..",
                    "detector-core", "src", "test", "resources", "decode")
F32 = np.float32


def sigmoid(x):
    return (1.0 / (1.0 + np.exp(-x.astype(np.float64)))).astype(F32)


def nms(heat, kernel):
    """heat * (maxpool(heat, kernel, stride 1, pad (k-1)/2, -inf padding) == heat)."""
    if kernel == 1:
        return heat.copy()
    p = (kernel - 1) // 2
    n, c, h, w = heat.shape
    padded = np.full((n, c, h + 2 * p, w + 2 * p), -np.inf, dtype=F32)
    padded[:, :, p:p + h, p:p + w] = heat
    hmax = np.full_like(heat, -np.inf)
    for dy in range(kernel):
        for dx in range(kernel):
            hmax = np.maximum(hmax, padded[:, :, dy:dy + h, dx:dx + w])
    return (heat * (hmax == heat)).astype(F32)


def topk(scores, k):
    """One top-K over C*H*W per batch item; ties by index (stable)."""
    n, c, h, w = scores.shape
    flat = scores.reshape(n, -1)
    inds = np.argsort(-flat, axis=1, kind="stable")[:, :k]
    sc = np.take_along_axis(flat, inds, axis=1)
    cls = inds // (h * w)
    pix = inds % (h * w)
    return sc, pix, cls, (pix // w).astype(F32), (pix % w).astype(F32)


def gather(feat, pix):
    """feat [N, D, H, W], pix [N, K] -> [N, K, D]."""
    n, d, h, w = feat.shape
    f = feat.reshape(n, d, h * w).transpose(0, 2, 1)
    return np.take_along_axis(f, pix[:, :, None].repeat(d, axis=2), axis=1)


def corner_pairs(tl_heat, br_heat, tl_tag, br_tag, tl_regr, br_regr, K, kernel, ae_threshold, num_dets,
                 no_border=False):
    batch, cat, height, width = tl_heat.shape
    tl_heat = nms(sigmoid(tl_heat), kernel)
    br_heat = nms(sigmoid(br_heat), kernel)
    tl_scores, tl_inds, tl_clses, tl_ys, tl_xs = topk(tl_heat, K)
    br_scores, br_inds, br_clses, br_ys, br_xs = topk(br_heat, K)
    tl_ys = np.broadcast_to(tl_ys[:, :, None], (batch, K, K))
    tl_xs = np.broadcast_to(tl_xs[:, :, None], (batch, K, K))
    br_ys = np.broadcast_to(br_ys[:, None, :], (batch, K, K))
    br_xs = np.broadcast_to(br_xs[:, None, :], (batch, K, K))
    if no_border:
        binds = (tl_ys == 0) | (tl_xs == 0) | (br_ys == height - 1) | (br_xs == width - 1)
    if tl_regr is not None:
        tr = gather(tl_regr, tl_inds)
        br = gather(br_regr, br_inds)
        tl_xs = tl_xs + tr[:, :, None, 0]
        tl_ys = tl_ys + tr[:, :, None, 1]
        br_xs = br_xs + br[:, None, :, 0]
        br_ys = br_ys + br[:, None, :, 1]
    bboxes = np.stack((tl_xs, tl_ys, br_xs, br_ys), axis=3).astype(F32)
    tt = gather(tl_tag, tl_inds)[:, :, 0]
    bt = gather(br_tag, br_inds)[:, :, 0]
    dists = np.abs(tt[:, :, None] - bt[:, None, :])
    scores = ((tl_scores[:, :, None] + br_scores[:, None, :]) / F32(2)).astype(F32)
    tl_c = np.broadcast_to(tl_clses[:, :, None], (batch, K, K))
    br_c = np.broadcast_to(br_clses[:, None, :], (batch, K, K))
    reject = (tl_c != br_c) | (dists > F32(ae_threshold)) | (br_xs < tl_xs) | (br_ys < tl_ys)
    if no_border:
        reject = reject | binds
    scores = np.where(reject, F32(-1), scores)
    flat = scores.reshape(batch, -1)
    inds = np.argsort(-flat, axis=1, kind="stable")[:, :num_dets]
    out_scores = np.take_along_axis(flat, inds, axis=1)
    out_boxes = np.take_along_axis(bboxes.reshape(batch, -1, 4), inds[:, :, None].repeat(4, axis=2), axis=1)
    out_cls = np.take_along_axis(tl_c.reshape(batch, -1), inds, axis=1)
    return out_boxes, out_scores, out_cls


def fmt(v):
    """Shortest text that reads back as the same float32."""
    return np.format_float_scientific(F32(v), unique=True, trim="-")


def write_heads(path, heads):
    with open(path, "w") as f:
        for name, arr in heads.items():
            arr = np.ascontiguousarray(arr, dtype=F32)
            f.write(name + " " + " ".join(str(d) for d in arr.shape) + "\n")
            f.write(" ".join(fmt(v) for v in arr.ravel()) + "\n")


def write_rows(path, rows):
    with open(path, "w") as f:
        for r in rows:
            f.write(" ".join(fmt(v) if not isinstance(v, (int, np.integer)) else str(int(v)) for v in r)
                    + "\n")


def cornernet_case(rng):
    n, c, h, w, K = 2, 3, 12, 12, 20
    heads = {
        "tl_heat": rng.normal(-1.0, 1.5, (n, c, h, w)).astype(F32),
        "br_heat": rng.normal(-1.0, 1.5, (n, c, h, w)).astype(F32),
        "tl_tag": rng.normal(0, 0.6, (n, 1, h, w)).astype(F32),
        "br_tag": rng.normal(0, 0.6, (n, 1, h, w)).astype(F32),
        "tl_regr": rng.uniform(0, 1, (n, 2, h, w)).astype(F32),
        "br_regr": rng.uniform(0, 1, (n, 2, h, w)).astype(F32),
    }
    boxes, scores, cls = corner_pairs(heads["tl_heat"], heads["br_heat"], heads["tl_tag"], heads["br_tag"],
                                      heads["tl_regr"], heads["br_regr"], K, 3, 0.5, 1000)
    rows = []
    for b in range(n):
        for i in range(scores.shape[1]):
            if scores[b, i] > -1:  # core/test/cornernet.py keeps detections[:, 4] > -1
                rows.append([b, scores[b, i], cls[b, i], *boxes[b, i]])
    d = os.path.join(ROOT, "cornernet")
    write_heads(os.path.join(d, "heads.txt"), heads)
    write_rows(os.path.join(d, "expected.txt"), rows)
    return len(rows)


def triplets_case(rng):
    n, c, h, w, K = 2, 2, 16, 16, 40
    cell = 24.0  # input pixels per cell: makes both small (<= 22500 px^2) and large boxes on a 16 x 16 map
    heads = {
        "tl_heat": rng.normal(-1.0, 1.5, (n, c, h, w)).astype(F32),
        "br_heat": rng.normal(-1.0, 1.5, (n, c, h, w)).astype(F32),
        "tl_tag": rng.normal(0, 0.2, (n, 1, h, w)).astype(F32),
        "br_tag": rng.normal(0, 0.2, (n, 1, h, w)).astype(F32),
        "tl_regr": rng.uniform(0, 1, (n, 2, h, w)).astype(F32),
        "br_regr": rng.uniform(0, 1, (n, 2, h, w)).astype(F32),
        "ct_heat": rng.normal(0.0, 1.5, (n, c, h, w)).astype(F32),
        "ct_regr": rng.uniform(0, 1, (n, 2, h, w)).astype(F32),
    }
    boxes, scores, cls = corner_pairs(heads["tl_heat"], heads["br_heat"], heads["tl_tag"], heads["br_tag"],
                                      heads["tl_regr"], heads["br_regr"], K, 3, 0.5, 1000)
    ct_heat = nms(sigmoid(heads["ct_heat"]), 3)
    ct_scores, ct_inds, ct_clses, ct_ys, ct_xs = topk(ct_heat, K)
    creg = gather(heads["ct_regr"], ct_inds)
    ct_xs = ct_xs + creg[:, :, 0]
    ct_ys = ct_ys + creg[:, :, 1]
    rows = []
    for b in range(n):
        # test/coco.py: valid detections, split by area (<= 22500 small: n = 3; else n = 5), first matching center
        det = np.concatenate([boxes[b], scores[b][:, None], cls[b][:, None].astype(F32)], axis=1)
        det = det[det[:, 4] > -1]
        order_in = np.arange(len(det))
        area = (det[:, 2] - det[:, 0]).astype(np.float64) * (det[:, 3] - det[:, 1]) * cell * cell
        out = []
        nsmall = {True: 0, False: 0}
        for small in (True, False):
            sel = (area <= 22500) if small else (area > 22500)
            d = det[sel]
            if small:
                lx, rx = (2 * d[:, 0] + d[:, 2]) / 3, (d[:, 0] + 2 * d[:, 2]) / 3
                ty, by = (2 * d[:, 1] + d[:, 3]) / 3, (d[:, 1] + 2 * d[:, 3]) / 3
            else:
                lx, rx = (3 * d[:, 0] + 2 * d[:, 2]) / 5, (2 * d[:, 0] + 3 * d[:, 2]) / 5
                ty, by = (3 * d[:, 1] + 2 * d[:, 3]) / 5, (2 * d[:, 1] + 3 * d[:, 3]) / 5
            cx = ct_xs[b][:, None]
            cy = ct_ys[b][:, None]
            inside = ((cx - lx[None, :]) > 0) & ((cx - rx[None, :]) < 0) & ((cy - ty[None, :]) > 0) \
                & ((cy - by[None, :]) < 0) & ((ct_clses[b][:, None] - d[:, 5][None, :]) == 0)
            has = inside.max(axis=0) if len(d) else np.zeros(0, bool)
            first = inside.argmax(axis=0) if len(d) else np.zeros(0, int)
            for i in np.nonzero(has)[0]:
                j = first[i]
                s = ((d[i, 4] * F32(2) + ct_scores[b, j]) / F32(3)).astype(F32)
                nsmall[small] += 1
                out.append((s, order_in[sel][i], [b, s, int(d[i, 5]), *d[i, 0:4], ct_xs[b, j], ct_ys[b, j],
                                                  ct_scores[b, j]]))
        out.sort(key=lambda t: (-t[0], t[1]))  # by score, ties in pair order
        rows.extend(r for _, _, r in out)
        print("  triplets image", b, "small", nsmall[True], "large", nsmall[False])
    d = os.path.join(ROOT, "triplets")
    write_heads(os.path.join(d, "heads.txt"), heads)
    write_rows(os.path.join(d, "expected.txt"), rows)
    with open(os.path.join(d, "config.txt"), "w") as f:
        f.write("k %d\nkernel 3\nae_threshold 0.5\nnum_dets 1000\ncell_size %r\nsmall_box_max_area 22500\n" % (K, cell))
    return len(rows)


def aggregate_line(v, forward):
    ret = v.copy()
    idx = range(1, len(v)) if forward else range(len(v) - 2, -1, -1)
    for i in idx:
        j = i - 1 if forward else i + 1
        if v[i] >= v[j]:
            ret[i] = F32(ret[i] + ret[j])
    return (ret - v).astype(F32)


def aggregate(heat, w, horizontal):
    out = np.empty_like(heat)
    n, c, h, wd = heat.shape
    wf = F32(w)
    for b in range(n):
        for ch in range(c):
            m = heat[b, ch] if horizontal else heat[b, ch].T
            o = np.empty_like(m)
            for r in range(m.shape[0]):
                left = aggregate_line(m[r], True)
                right = aggregate_line(m[r], False)
                o[r] = (wf * left + wf * right + m[r]).astype(F32)
            out[b, ch] = o if horizontal else o.T
    return out


def exct_decode(heads, K, kernel, aggr_weight, scores_thresh, center_thresh, num_dets, agnostic):
    t, l, bh, r = (sigmoid(heads[k]) for k in ("t_heat", "l_heat", "b_heat", "r_heat"))
    ct = sigmoid(heads["ct_heat"])
    batch, _, height, width = ct.shape
    if aggr_weight > 0:
        t, b_ = aggregate(t, aggr_weight, True), aggregate(bh, aggr_weight, True)
        l, r = aggregate(l, aggr_weight, False), aggregate(r, aggr_weight, False)
        bh = b_
    # NMS on the aggregated values, then clamp to 1. Values clamped to 1 tie; the originals leave their order
    # undefined, and this port (like the Java code) orders them by the unclamped value, then by index.
    tk = []
    for m in (t, l, bh, r):
        sc, pix, cls, ys, xs = topk(nms(m, kernel), K)
        tk.append((np.minimum(sc, F32(1)), pix, cls, ys, xs))
    (ts, ti, tc, ty, tx), (ls, li, lc, ly, lx), (bs, bi, bc, by, bx), (rs, ri, rc, ry, rx) = tk
    sh = (batch, K, K, K, K)
    v = lambda a, axis: np.broadcast_to(a.reshape([batch] + [K if d == axis else 1 for d in range(4)]), sh)
    t_ys, t_xs, l_ys, l_xs = v(ty, 0), v(tx, 0), v(ly, 1), v(lx, 1)
    b_ys, b_xs, r_ys, r_xs = v(by, 2), v(bx, 2), v(ry, 3), v(rx, 3)
    box_ct_xs = ((l_xs + r_xs + F32(0.5)) / F32(2)).astype(np.int64)
    box_ct_ys = ((t_ys + b_ys + F32(0.5)) / F32(2)).astype(np.int64)
    if agnostic:
        ct_max = ct.max(axis=1)
        ct_cls = ct.argmax(axis=1)
        bidx = np.arange(batch).reshape(batch, 1, 1, 1, 1)
        ct_scores = ct_max[bidx, box_ct_ys, box_ct_xs]
        clses = ct_cls[bidx, box_ct_ys, box_ct_xs]
    else:
        t_cl = v(tc, 0)
        bidx = np.arange(batch).reshape(batch, 1, 1, 1, 1)
        ct_scores = ct[bidx, t_cl, box_ct_ys, box_ct_xs]
        clses = t_cl
    t_s, l_s, b_s, r_s = v(ts, 0), v(ls, 1), v(bs, 2), v(rs, 3)
    scores = ((t_s + l_s + b_s + r_s + F32(2) * ct_scores) / F32(6)).astype(F32)
    fails = []
    if not agnostic:
        fails.append((v(tc, 0) != v(lc, 1)) | (v(tc, 0) != v(bc, 2)) | (v(tc, 0) != v(rc, 3)))
    fails.append((t_ys > l_ys) | (t_ys > b_ys) | (t_ys > r_ys))
    fails.append((l_xs > t_xs) | (l_xs > b_xs) | (l_xs > r_xs))
    fails.append((b_ys < t_ys) | (b_ys < l_ys) | (b_ys < r_ys))
    fails.append((r_xs < t_xs) | (r_xs < l_xs) | (r_xs < b_xs))
    fails.append((t_s < F32(scores_thresh)) | (l_s < F32(scores_thresh)) | (b_s < F32(scores_thresh))
                 | (r_s < F32(scores_thresh)) | (ct_scores < F32(center_thresh)))
    for f in fails:
        scores = (scores - f.astype(F32)).astype(F32)
    flat = scores.reshape(batch, -1)
    inds = np.argsort(-flat, axis=1, kind="stable")[:, :num_dets]
    regs = [gather(heads[k], ind) for k, ind in (("t_regr", ti), ("l_regr", li), ("b_regr", bi), ("r_regr", ri))]
    pts = []
    for (_, _, _, yy, xx), reg, axis in zip(tk, regs, range(4)):
        pts.append((v(xx + reg[:, :, 0], axis), v(yy + reg[:, :, 1], axis)))
    rows = []
    for b in range(batch):
        for q in inds[b]:
            s = flat[b, q]
            if not s > 0:  # test/coco_extreme.py keeps detections[:, 4] > 0
                continue
            idx = np.unravel_index(q, (K, K, K, K))
            p = [float(a[(b,) + idx]) for xy in pts for a in xy]
            sc = [float(ts[b, idx[0]]), float(ls[b, idx[1]]), float(bs[b, idx[2]]), float(rs[b, idx[3]])]
            cl = int(clses[(b,) + idx])
            # box (l_x, t_y, r_x, b_y)
            rows.append([b, s, cl, p[2], p[1], p[6], p[5], *p, *sc])
    return rows


def extremenet_case(rng, agnostic):
    n, c, h, w, K = 2, 2, 12, 12, 10
    ce = 1 if agnostic else c
    heads = {}
    for k in ("t_heat", "l_heat", "b_heat", "r_heat"):
        heads[k] = rng.normal(-0.5, 1.5, (n, ce, h, w)).astype(F32)
    heads["ct_heat"] = rng.normal(-0.5, 1.5, (n, 3 if agnostic else c, h, w)).astype(F32)
    for k in ("t_regr", "l_regr", "b_regr", "r_regr"):
        heads[k] = rng.uniform(0, 1, (n, 2, h, w)).astype(F32)
    rows = exct_decode(heads, K, 3, 0.1, 0.1, 0.1, 1000, agnostic)
    d = os.path.join(ROOT, "extremenet")
    prefix = "agnostic_" if agnostic else ""
    write_heads(os.path.join(d, prefix + "heads.txt"), heads)
    write_rows(os.path.join(d, prefix + "expected.txt"), rows)
    return len(rows)


if __name__ == "__main__":
    rng = np.random.default_rng(20240501)
    print("cornernet", cornernet_case(rng))
    print("triplets", triplets_case(rng))
    print("extremenet", extremenet_case(rng, False))
    print("extremenet agnostic", extremenet_case(rng, True))
