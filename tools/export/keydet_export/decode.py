"""Straightforward ports of the upstream decoders (CenterNet `decode.py` ctdet/multi_pose/ddd/exct,
CornerNet-Lite `_decode`), used to write reference detections for the Java tests.

Inputs are the raw network heads (heatmaps are LOGITS); each decoder applies the activations the upstream
detector applies (CenterNet detectors: sigmoid before decoding, ddd depth 1/sigmoid - 1; CornerNet: inside).
Rows are in output-map coordinates (before the affine back-transform), column layout as upstream.
"""
import torch
import torch.nn.functional as F


def _t(a):
    return torch.from_numpy(a).float()


def nms(heat, kernel=3):
    hmax = F.max_pool2d(heat, kernel, stride=1, padding=(kernel - 1) // 2)
    return heat * (hmax == heat).float()


def gather_feat(feat, ind):  # feat [B, N, D], ind [B, K]
    return feat.gather(1, ind.unsqueeze(2).expand(ind.size(0), ind.size(1), feat.size(2)))


def transpose_gather(feat, ind):  # feat [B, C, H, W] -> [B, K, C]
    b, c = feat.shape[:2]
    return gather_feat(feat.permute(0, 2, 3, 1).reshape(b, -1, c), ind)


def topk_centernet(scores, K):
    """Top K per class over H*W, then top K of the C*K; class = index // K."""
    b, c, h, w = scores.shape
    s, i = torch.topk(scores.view(b, c, -1), K)
    i = i % (h * w)
    ys, xs = (i // w).float(), (i % w).float()
    s2, i2 = torch.topk(s.view(b, -1), K)
    cls = (i2 // K).int()
    inds = gather_feat(i.view(b, -1, 1), i2).view(b, K)
    ys = gather_feat(ys.view(b, -1, 1), i2).view(b, K)
    xs = gather_feat(xs.view(b, -1, 1), i2).view(b, K)
    return s2, inds, cls, ys, xs


def topk_channel(scores, K):
    b, c, h, w = scores.shape
    s, i = torch.topk(scores.view(b, c, -1), K)
    i = i % (h * w)
    return s, i, (i // w).float(), (i % w).float()


def topk_flat(scores, K):
    """CornerNet / ExtremeNet-repo style: one top K over C*H*W."""
    b, c, h, w = scores.shape
    s, i = torch.topk(scores.view(b, -1), K)
    cls = (i // (h * w)).int()
    i = i % (h * w)
    return s, i, cls, (i // w).float(), (i % w).float()


def ctdet(heads, K=100):
    heat = nms(torch.sigmoid(_t(heads["hm"])))
    b = heat.shape[0]
    scores, inds, cls, ys, xs = topk_centernet(heat, K)
    reg = transpose_gather(_t(heads["reg"]), inds)
    xs = xs.view(b, K, 1) + reg[..., 0:1]
    ys = ys.view(b, K, 1) + reg[..., 1:2]
    wh = transpose_gather(_t(heads["wh"]), inds)
    boxes = torch.cat([xs - wh[..., 0:1] / 2, ys - wh[..., 1:2] / 2, xs + wh[..., 0:1] / 2,
                       ys + wh[..., 1:2] / 2], 2)
    return torch.cat([boxes, scores.view(b, K, 1), cls.view(b, K, 1).float()], 2), \
        ["x1", "y1", "x2", "y2", "score", "class"]


def multi_pose(heads, K=100):
    heat = nms(torch.sigmoid(_t(heads["hm"])))
    b = heat.shape[0]
    kps = _t(heads["hps"])
    J = kps.shape[1] // 2
    scores, inds, cls, ys, xs = topk_centernet(heat, K)
    kps = transpose_gather(kps, inds).view(b, K, J * 2)
    kps[..., ::2] += xs.view(b, K, 1)
    kps[..., 1::2] += ys.view(b, K, 1)
    reg = transpose_gather(_t(heads["reg"]), inds)
    xs = xs.view(b, K, 1) + reg[..., 0:1]
    ys = ys.view(b, K, 1) + reg[..., 1:2]
    wh = transpose_gather(_t(heads["wh"]), inds)
    boxes = torch.cat([xs - wh[..., 0:1] / 2, ys - wh[..., 1:2] / 2, xs + wh[..., 0:1] / 2,
                       ys + wh[..., 1:2] / 2], 2)
    hm_hp = nms(torch.sigmoid(_t(heads["hm_hp"])))
    thresh = 0.1
    kps = kps.view(b, K, J, 2).permute(0, 2, 1, 3).contiguous()  # b J K 2
    reg_kps = kps.unsqueeze(3).expand(b, J, K, K, 2)
    hm_score, hm_inds, hm_ys, hm_xs = topk_channel(hm_hp, K)
    off = transpose_gather(_t(heads["hp_offset"]), hm_inds.view(b, -1)).view(b, J, K, 2)
    hm_xs = hm_xs + off[..., 0]
    hm_ys = hm_ys + off[..., 1]
    mask = (hm_score > thresh).float()
    hm_score = (1 - mask) * -1 + mask * hm_score
    hm_ys = (1 - mask) * (-10000) + mask * hm_ys
    hm_xs = (1 - mask) * (-10000) + mask * hm_xs
    hm_kps = torch.stack([hm_xs, hm_ys], -1).unsqueeze(2).expand(b, J, K, K, 2)
    dist = ((reg_kps - hm_kps) ** 2).sum(4) ** 0.5
    min_dist, min_ind = dist.min(3)
    hm_score = hm_score.gather(2, min_ind).unsqueeze(-1)
    min_dist = min_dist.unsqueeze(-1)
    hm_kps = hm_kps.gather(3, min_ind.view(b, J, K, 1, 1).expand(b, J, K, 1, 2)).view(b, J, K, 2)
    l, t, r, bt = [boxes[:, :, i].view(b, 1, K, 1).expand(b, J, K, 1) for i in range(4)]
    bad = (hm_kps[..., 0:1] < l) | (hm_kps[..., 0:1] > r) | (hm_kps[..., 1:2] < t) | (hm_kps[..., 1:2] > bt) | \
        (hm_score < thresh) | (min_dist > (torch.max(bt - t, r - l) * 0.3))
    bad = bad.float().expand(b, J, K, 2)
    kps = ((1 - bad) * hm_kps + bad * kps).permute(0, 2, 1, 3).contiguous().view(b, K, J * 2)
    cols = ["x1", "y1", "x2", "y2", "score"] + ["k%d_%s" % (j, c) for j in range(J) for c in "xy"] + ["class"]
    return torch.cat([boxes, scores.view(b, K, 1), kps, cls.view(b, K, 1).float()], 2), cols


def ddd(heads, K=100):
    heat = nms(torch.sigmoid(_t(heads["hm"])))
    b = heat.shape[0]
    scores, inds, cls, ys, xs = topk_centernet(heat, K)
    reg = transpose_gather(_t(heads["reg"]), inds)
    xs = xs.view(b, K, 1) + reg[..., 0:1]
    ys = ys.view(b, K, 1) + reg[..., 1:2]
    dep = 1.0 / (torch.sigmoid(_t(heads["dep"])) + 1e-6) - 1.0
    rot = transpose_gather(_t(heads["rot"]), inds)
    depth = transpose_gather(dep, inds)
    dim = transpose_gather(_t(heads["dim"]), inds)
    wh = transpose_gather(_t(heads["wh"]), inds)
    cols = ["x", "y", "score"] + ["rot%d" % i for i in range(8)] + ["depth", "dim0", "dim1", "dim2", "w", "h",
                                                                      "class"]
    return torch.cat([xs, ys, scores.view(b, K, 1), rot, depth, dim, wh, cls.view(b, K, 1).float()], 2), cols


def exdet(heads, K=40, scores_thresh=0.1, center_thresh=0.1, num_dets=1000):
    """CenterNet `exct_decode` (aggr_weight 0) after the detector's sigmoid."""
    hs = {k: torch.sigmoid(_t(heads[k + "_heat"])) for k in ("t", "l", "b", "r", "ct")}
    b, c, h, w = hs["t"].shape
    res = {}
    for k in ("t", "l", "b", "r"):
        heat = nms(hs[k])
        heat[heat > 1] = 1
        res[k] = topk_centernet(heat, K)
    shape = {"t": (b, K, 1, 1, 1), "l": (b, 1, K, 1, 1), "b": (b, 1, 1, K, 1), "r": (b, 1, 1, 1, K)}
    E = lambda v, k: v.view(*shape[k]).expand(b, K, K, K, K)  # noqa: E731
    ys = {k: E(res[k][3], k) for k in shape}
    xs = {k: E(res[k][4], k) for k in shape}
    cl = {k: E(res[k][2], k) for k in shape}
    sc = {k: E(res[k][0], k) for k in shape}
    ct_x = ((xs["l"] + xs["r"] + 0.5) / 2).long()
    ct_y = ((ys["t"] + ys["b"] + 0.5) / 2).long()
    ct_inds = (cl["t"].long() * (h * w) + ct_y * w + ct_x).view(b, -1)
    ct_scores = gather_feat(hs["ct"].view(b, -1, 1), ct_inds).view(b, K, K, K, K)
    scores = (sc["t"] + sc["l"] + sc["b"] + sc["r"] + 2 * ct_scores) / 6
    cls_bad = (cl["t"] != cl["l"]) | (cl["t"] != cl["b"]) | (cl["t"] != cl["r"])
    top_bad = (ys["t"] > ys["l"]) | (ys["t"] > ys["b"]) | (ys["t"] > ys["r"])
    left_bad = (xs["l"] > xs["t"]) | (xs["l"] > xs["b"]) | (xs["l"] > xs["r"])
    bottom_bad = (ys["b"] < ys["t"]) | (ys["b"] < ys["l"]) | (ys["b"] < ys["r"])
    right_bad = (xs["r"] < xs["t"]) | (xs["r"] < xs["l"]) | (xs["r"] < xs["b"])
    sc_bad = (sc["t"] < scores_thresh) | (sc["l"] < scores_thresh) | (sc["b"] < scores_thresh) | \
        (sc["r"] < scores_thresh) | (ct_scores < center_thresh)
    for bad in (sc_bad, cls_bad, top_bad, left_bad, bottom_bad, right_bad):
        scores = scores - bad.float()
    scores, inds = torch.topk(scores.view(b, -1), num_dets)
    fx, fy = {}, {}
    for k in shape:
        regr = transpose_gather(_t(heads[k + "_regr"]), res[k][1])
        rs = shape[k] + (2,)
        regr = regr.view(*rs)
        fx[k] = xs[k] + regr[..., 0]
        fy[k] = ys[k] + regr[..., 1]
    G = lambda v: gather_feat(v.contiguous().view(b, -1, 1), inds)  # noqa: E731
    boxes = torch.cat([G(fx["l"]), G(fy["t"]), G(fx["r"]), G(fy["b"])], 2)
    rows = torch.cat([boxes, scores.unsqueeze(2), G(fx["t"]), G(fy["t"]), G(fx["l"]), G(fy["l"]),
                      G(fx["b"]), G(fy["b"]), G(fx["r"]), G(fy["r"]), G(cl["t"].float())], 2)
    cols = ["x1", "y1", "x2", "y2", "score", "t_x", "t_y", "l_x", "l_y", "b_x", "b_y", "r_x", "r_y", "class"]
    return rows, cols


def cornernet(heads, K=100, kernel=3, ae_threshold=0.5, num_dets=1000):
    """CornerNet-Lite `_decode` with the test config of CornerNet.json (top_k 100, nms_kernel 3, ae 0.5)."""
    tl = nms(torch.sigmoid(_t(heads["tl_heat"])), kernel)
    br = nms(torch.sigmoid(_t(heads["br_heat"])), kernel)
    b = tl.shape[0]
    tls, tli, tlc, tly, tlx = topk_flat(tl, K)
    brs, bri, brc, bry, brx = topk_flat(br, K)
    tly, tlx = tly.view(b, K, 1).expand(b, K, K), tlx.view(b, K, 1).expand(b, K, K)
    bry, brx = bry.view(b, 1, K).expand(b, K, K), brx.view(b, 1, K).expand(b, K, K)
    tlr = transpose_gather(_t(heads["tl_regr"]), tli).view(b, K, 1, 2)
    brr = transpose_gather(_t(heads["br_regr"]), bri).view(b, 1, K, 2)
    tlx, tly = tlx + tlr[..., 0], tly + tlr[..., 1]
    brx, bry = brx + brr[..., 0], bry + brr[..., 1]
    boxes = torch.stack((tlx, tly, brx, bry), 3)
    tlt = transpose_gather(_t(heads["tl_tag"]), tli).view(b, K, 1)
    brt = transpose_gather(_t(heads["br_tag"]), bri).view(b, 1, K)
    dists = (tlt - brt).abs()
    tls, brs = tls.view(b, K, 1).expand(b, K, K), brs.view(b, 1, K).expand(b, K, K)
    scores = (tls + brs) / 2
    tlc, brc = tlc.view(b, K, 1).expand(b, K, K), brc.view(b, 1, K).expand(b, K, K)
    scores[tlc != brc] = -1
    scores[dists > ae_threshold] = -1
    scores[brx < tlx] = -1
    scores[bry < tly] = -1
    scores, inds = torch.topk(scores.view(b, -1), num_dets)
    boxes = gather_feat(boxes.view(b, -1, 4), inds)
    G = lambda v: gather_feat(v.contiguous().view(b, -1, 1), inds).float()  # noqa: E731
    rows = torch.cat([boxes, scores.unsqueeze(2), G(tls), G(brs), G(tlc)], 2)
    return rows, ["x1", "y1", "x2", "y2", "score", "tl_score", "br_score", "class"]


def triplets(heads, K=70, kernel=3, ae_threshold=0.5, num_dets=1000):
    """Duankaiwen/CenterNet `_decode` (config CenterNet-104.json: top_k 70, ae_threshold 0.5; nms kernel 3):
    CornerNet's corner grouping plus the top-K centers. The central-region check of the test script
    (test/centernet.py) is NOT applied here; `centers` is the decoder's second output."""
    rows, cols = cornernet(heads, K=K, kernel=kernel, ae_threshold=ae_threshold, num_dets=num_dets)
    ct = nms(torch.sigmoid(_t(heads["ct_heat"])), kernel)
    b = ct.shape[0]
    cts, cti, ctc, cty, ctx = topk_flat(ct, K)
    ctr = transpose_gather(_t(heads["ct_regr"]), cti)
    centers = torch.stack([ctx + ctr[..., 0], cty + ctr[..., 1], ctc.float(), cts], 2)
    return (rows, centers), cols


DECODERS = {"ctdet": (ctdet, dict(K=100)), "multi_pose": (multi_pose, dict(K=100)), "ddd": (ddd, dict(K=100)),
            "exdet": (exdet, dict(K=40, scores_thresh=0.1, center_thresh=0.1, num_dets=1000)),
            "cornernet": (cornernet, dict(K=100, kernel=3, ae_threshold=0.5, num_dets=1000)),
            "triplets": (triplets, dict(K=70, kernel=3, ae_threshold=0.5, num_dets=1000))}


# per-architecture test settings where they differ from the task's (CornerNet-Lite configs/CornerNet_Squeeze.json)
ARCH_DECODERS = {("squeeze", "cornernet"): (cornernet, dict(K=20, kernel=3, ae_threshold=0.5, num_dets=100))}


def decode(task, heads, max_rows=100, arch=None):
    """JSON-ready dict for batch item 0 (first max_rows rows, best first), or None when no decoder is ported."""
    if task not in DECODERS:
        return None
    fn, kw = ARCH_DECODERS.get((arch, task), DECODERS[task])
    with torch.no_grad():
        rows, cols = fn(heads, **kw)
    extra = {}
    if isinstance(rows, tuple):
        rows, centers = rows
        extra = {"center_columns": ["x", "y", "class", "score"],
                 "centers": [[float(v) for v in r] for r in centers[0].tolist()]}
    return dict({"decoder": fn.__name__, "params": kw, "heatmaps_in": "LOGITS (decoder applies sigmoid)",
            "coordinates": "output map (stride %d), before the affine back-transform" % (8 if arch == "squeeze" else 4),
            "note": "rows with equal scores (e.g. the -1 of rejected groups) have no defined order",
            "columns": cols, "rows": [[float(v) for v in r] for r in rows[0, :max_rows].tolist()]}, **extra)
