"""NumPy ports of CenterNet's (xingyizhou) multi_pose_decode, ddd_decode, get_alpha and ddd_utils, used to
make small reference outputs for KeyDet's Java decoders. Written from the upstream semantics (decode.py,
post_process.py, ddd_utils.py), float32 like the PyTorch originals.

Usage: python3 tools/testdata/centernet_numpy_ref.py   (writes detector-core/src/test/resources/decode/{pose,ddd})
"""
import os
import numpy as np

ROOT = os.path.join(os.path.dirname(__file__), '..', '..', 'detector-core', 'src', 'test', 'resources', 'decode')


def nms(heat, kernel=3):
    """heat * (maxpool(heat, k, stride 1, pad (k-1)/2, -inf padding) == heat)."""
    pad = (kernel - 1) // 2
    b, c, h, w = heat.shape
    padded = np.full((b, c, h + 2 * pad, w + 2 * pad), -np.inf, dtype=heat.dtype)
    padded[:, :, pad:pad + h, pad:pad + w] = heat
    hmax = np.full_like(heat, -np.inf)
    for dy in range(kernel):
        for dx in range(kernel):
            hmax = np.maximum(hmax, padded[:, :, dy:dy + h, dx:dx + w])
    return heat * (hmax == heat).astype(heat.dtype)


def topk_desc(values, k):
    """Indices of the k largest along the last axis, best first (stable on ties)."""
    return np.argsort(-values, axis=-1, kind='stable')[..., :k]


def topk_channel(scores, K):
    b, c, h, w = scores.shape
    flat = scores.reshape(b, c, -1)
    inds = topk_desc(flat, K)
    sc = np.take_along_axis(flat, inds, axis=-1)
    ys = (inds // w).astype(np.float32)
    xs = (inds % w).astype(np.float32)
    return sc, inds, ys, xs


def topk(scores, K):
    b, c, h, w = scores.shape
    sc, inds, ys, xs = topk_channel(scores, K)
    ind = topk_desc(sc.reshape(b, -1), K)
    score = np.take_along_axis(sc.reshape(b, -1), ind, axis=-1)
    clses = (ind // K).astype(np.int64)
    inds = np.take_along_axis(inds.reshape(b, -1), ind, axis=-1)
    ys = np.take_along_axis(ys.reshape(b, -1), ind, axis=-1)
    xs = np.take_along_axis(xs.reshape(b, -1), ind, axis=-1)
    return score, inds, clses, ys, xs


def gather(feat, inds):
    """feat [B, C, H, W], inds [B, K] over H*W -> [B, K, C]."""
    b, c, h, w = feat.shape
    flat = feat.reshape(b, c, h * w).transpose(0, 2, 1)
    return np.take_along_axis(flat, inds[:, :, None].repeat(c, axis=2), axis=1)


def multi_pose_decode(heat, wh, kps, reg=None, hm_hp=None, hp_offset=None, K=100, thresh=0.1):
    b, cat, h, w = heat.shape
    J = kps.shape[1] // 2
    heat = nms(heat)
    scores, inds, clses, ys, xs = topk(heat, K)
    kps = gather(kps, inds).reshape(b, K, J * 2).copy()
    kps[..., ::2] += xs[:, :, None]
    kps[..., 1::2] += ys[:, :, None]
    if reg is not None:
        r = gather(reg, inds)
        xs = xs[:, :, None] + r[:, :, 0:1]
        ys = ys[:, :, None] + r[:, :, 1:2]
    else:
        xs = xs[:, :, None] + np.float32(0.5)
        ys = ys[:, :, None] + np.float32(0.5)
    whg = gather(wh, inds)
    bboxes = np.concatenate([xs - whg[..., 0:1] / 2, ys - whg[..., 1:2] / 2,
                             xs + whg[..., 0:1] / 2, ys + whg[..., 1:2] / 2], axis=2)
    point_scores = np.zeros((b, K, J), dtype=np.float32)
    if hm_hp is not None:
        hm_hp = nms(hm_hp)
        kps = kps.reshape(b, K, J, 2).transpose(0, 2, 1, 3)  # b J K 2
        hm_score, hm_inds, hm_ys, hm_xs = topk_channel(hm_hp, K)  # b J K
        raw_score = hm_score.copy()
        if hp_offset is not None:
            off = gather(hp_offset, hm_inds.reshape(b, -1)).reshape(b, J, K, 2)
            hm_xs = hm_xs + off[..., 0]
            hm_ys = hm_ys + off[..., 1]
        else:
            hm_xs = hm_xs + np.float32(0.5)
            hm_ys = hm_ys + np.float32(0.5)
        mask = (hm_score > thresh).astype(np.float32)
        hm_score = (1 - mask) * -1 + mask * hm_score
        hm_ys = (1 - mask) * (-10000) + mask * hm_ys
        hm_xs = (1 - mask) * (-10000) + mask * hm_xs
        hm_kps = np.stack([hm_xs, hm_ys], axis=-1).astype(np.float32)  # b J K(hm) 2
        diff = kps[:, :, :, None, :] - hm_kps[:, :, None, :, :]  # b J K K 2
        dist = np.sqrt((diff ** 2).sum(axis=4)).astype(np.float32)
        min_ind = dist.argmin(axis=3)  # first on ties, as torch
        min_dist = np.take_along_axis(dist, min_ind[..., None], axis=3)  # b J K 1
        sel_score = np.take_along_axis(hm_score, min_ind, axis=2)[..., None]
        # KeyDet reports the nearest heatmap joint's score, 0 for an invalid one (the original reports none)
        considered = np.take_along_axis(raw_score, min_ind, axis=2)
        point_scores = np.where(considered > thresh, considered, 0).transpose(0, 2, 1)
        sel = np.take_along_axis(hm_kps, min_ind[..., None].repeat(2, axis=-1), axis=2)  # b J K 2
        l = bboxes[:, :, 0][:, None, :, None]
        t = bboxes[:, :, 1][:, None, :, None]
        r = bboxes[:, :, 2][:, None, :, None]
        bt = bboxes[:, :, 3][:, None, :, None]
        reject = (sel[..., 0:1] < l) | (sel[..., 0:1] > r) | (sel[..., 1:2] < t) | (sel[..., 1:2] > bt) | \
                 (sel_score < thresh) | (min_dist > np.maximum(bt - t, r - l) * np.float32(0.3))
        reject = np.repeat(reject, 2, axis=-1)
        kps = np.where(reject, kps, sel)
        kps = kps.transpose(0, 2, 1, 3).reshape(b, K, J * 2)
    return bboxes.astype(np.float32), scores.astype(np.float32), kps.astype(np.float32), clses, \
        point_scores.astype(np.float32)


def get_alpha(rot):
    idx = rot[:, 1] > rot[:, 5]
    alpha1 = np.arctan2(rot[:, 2], rot[:, 3]) + (-0.5 * np.pi)
    alpha2 = np.arctan2(rot[:, 6], rot[:, 7]) + (0.5 * np.pi)
    return alpha1 * idx + alpha2 * (1 - idx)


def ddd_decode(heat, rot, depth, dim, wh=None, reg=None, K=100):
    heat = nms(heat)
    scores, inds, clses, ys, xs = topk(heat, K)
    if reg is not None:
        r = gather(reg, inds)
        xs = xs + r[..., 0]
        ys = ys + r[..., 1]
    else:
        xs = xs + np.float32(0.5)
        ys = ys + np.float32(0.5)
    return xs, ys, scores, gather(rot, inds), gather(depth, inds)[..., 0], gather(dim, inds), \
        (gather(wh, inds) if wh is not None else None), clses


def decode_depth(raw):
    sig = (1 / (1 + np.exp(-raw.astype(np.float64))))
    return (1. / (sig + 1e-6) - 1.).astype(np.float32)


def compute_box_3d(dim, location, rotation_y):
    c, s = np.cos(rotation_y), np.sin(rotation_y)
    R = np.array([[c, 0, s], [0, 1, 0], [-s, 0, c]], dtype=np.float64)
    l, w, h = dim[2], dim[1], dim[0]
    corners = np.array([[l / 2, l / 2, -l / 2, -l / 2, l / 2, l / 2, -l / 2, -l / 2],
                        [0, 0, 0, 0, -h, -h, -h, -h],
                        [w / 2, -w / 2, -w / 2, w / 2, w / 2, -w / 2, -w / 2, w / 2]], dtype=np.float64)
    return (R @ corners + np.asarray(location, dtype=np.float64).reshape(3, 1)).T


def project_to_image(pts, P):
    homo = np.concatenate([pts, np.ones((pts.shape[0], 1))], axis=1)
    p2 = (P @ homo.T).T
    return p2[:, :2] / p2[:, 2:]


def unproject(pt, depth, P):
    z = depth - P[2, 3]
    x = (pt[0] * depth - P[0, 3] - P[0, 2] * z) / P[0, 0]
    y = (pt[1] * depth - P[1, 3] - P[1, 2] * z) / P[1, 1]
    return np.array([x, y, z])


def alpha2rot_y(alpha, x, cx, fx):
    r = alpha + np.arctan2(x - cx, fx)
    if r > np.pi:
        r -= 2 * np.pi
    if r < -np.pi:
        r += 2 * np.pi
    return r


KITTI = np.array([[707.0493, 0, 604.0814, 45.75831], [0, 707.0493, 180.5066, -0.3454157],
                  [0, 0, 1., 0.004981016]], dtype=np.float64)


def make_pose(rng):
    B, H, W, J, K = 2, 16, 16, 17, 10
    f = np.float32
    heads = {
        'hm': rng.uniform(0, 1, (B, 1, H, W)).astype(f),
        'wh': rng.uniform(2, 12, (B, 2, H, W)).astype(f),
        'reg': rng.uniform(0, 1, (B, 2, H, W)).astype(f),
        'hps': rng.normal(0, 2.5, (B, 2 * J, H, W)).astype(f),
        'hm_hp': rng.uniform(0, 0.6, (B, J, H, W)).astype(f),
        'hp_offset': rng.uniform(0, 1, (B, 2, H, W)).astype(f),
    }
    boxes, scores, kps, clses, pscores = multi_pose_decode(
        heads['hm'], heads['wh'], heads['hps'], heads['reg'], heads['hm_hp'], heads['hp_offset'], K=K)
    # the same heads without hm_hp / offsets: regressed joints only
    boxes2, scores2, kps2, _, _ = multi_pose_decode(heads['hm'], heads['wh'], heads['hps'], K=K)
    _, _, reg_kps, _, _ = multi_pose_decode(heads['hm'], heads['wh'], heads['hps'], heads['reg'], K=K)
    replaced = int((np.abs(kps - reg_kps) > 0).reshape(B, K, J, 2).any(-1).sum())
    print('pose: replaced joints', replaced, 'of', B * K * J)
    out = os.path.join(ROOT, 'pose')
    os.makedirs(out, exist_ok=True)
    np.savez(os.path.join(out, 'heads.npz'), **heads)
    np.savez(os.path.join(out, 'expected.npz'), boxes=boxes, scores=scores, kps=kps, clses=clses.astype(f),
             point_scores=pscores, boxes_noreg=boxes2, kps_noreg=kps2, scores_noreg=scores2)


def make_ddd(rng):
    B, C, H, W, K = 2, 3, 16, 16, 12
    f = np.float32
    heads = {
        'hm': rng.uniform(0, 1, (B, C, H, W)).astype(f),
        'dep': rng.normal(-2, 1, (B, 1, H, W)).astype(f),
        'rot': rng.normal(0, 1, (B, 8, H, W)).astype(f),
        'dim': rng.uniform(1, 5, (B, 3, H, W)).astype(f),
        'wh': rng.uniform(2, 12, (B, 2, H, W)).astype(f),
        'reg': rng.uniform(0, 1, (B, 2, H, W)).astype(f),
    }
    xs, ys, scores, rot, dep_raw, dim, wh, clses = ddd_decode(
        heads['hm'], heads['rot'], heads['dep'], heads['dim'], heads['wh'], heads['reg'], K=K)
    depth = decode_depth(dep_raw)
    alpha = get_alpha(rot.reshape(-1, 8)).reshape(B, K).astype(f)
    # lift with the default KITTI calibration, the output-map center x4 standing in for image pixels
    loc = np.zeros((B, K, 3))
    roty = np.zeros((B, K))
    corners = np.zeros((B, K, 8, 2))
    for b in range(B):
        for k in range(K):
            ct = np.array([xs[b, k] * 4.0, ys[b, k] * 4.0])
            l3 = unproject(ct, float(depth[b, k]), KITTI)
            l3[1] += dim[b, k, 0] / 2
            ry = alpha2rot_y(float(alpha[b, k]), ct[0], KITTI[0, 2], KITTI[0, 0])
            loc[b, k] = l3
            roty[b, k] = ry
            corners[b, k] = project_to_image(compute_box_3d(dim[b, k].astype(np.float64), l3, ry), KITTI)
    out = os.path.join(ROOT, 'ddd')
    os.makedirs(out, exist_ok=True)
    np.savez(os.path.join(out, 'heads.npz'), **heads)
    np.savez(os.path.join(out, 'expected.npz'), xs=xs.astype(f), ys=ys.astype(f), scores=scores.astype(f),
             clses=clses.astype(f), rot=rot.astype(f), depth=depth, dim=dim.astype(f), wh=wh.astype(f),
             alpha=alpha, location=loc, rotation_y=roty, corners=corners)


if __name__ == '__main__':
    rng = np.random.default_rng(20240604)
    make_pose(rng)
    make_ddd(rng)
