#!/usr/bin/env python3
"""Independent numpy reference for KeyDet's training targets and losses (detector-core io.github.keydet.core.target /
.loss tests).

A straightforward numpy port of the upstream formulas (xingyizhou/CenterNet utils/image.py, datasets/sample/ctdet.py,
multi_pose.py, ddd.py, models/losses.py; princeton-vl/CornerNet(-Lite) sample/utils.py, sample/cornernet.py,
models/py_utils/losses.py; Duankaiwen/CenterNet sample/coco.py; xingyizhou/ExtremeNet sample/coco_extreme.py and
tools/gen_coco_extreme_points.py). It does not use KeyDet's code. Where the originals ran on numpy 1.x, a float32
scalar times a Python float was float64: those products are written with float() here so numpy 2 gives the same.
cv2.getAffineTransform is replaced by np.linalg.solve on the same float32 triangles; torch ops by numpy in float64.

Usage: python3 tools/testdata/gen_target_testdata.py  (writes detector-core/src/test/resources/target/)
"""
import json
import math
import os

import numpy as np

OUT = os.path.join(os.path.dirname(__file__), '..', '..', 'detector-core', 'src', 'test', 'resources', 'encode')


# ---------------------------------------------------------------- gaussians (utils/image.py, sample/utils.py)
def radius_plus_root_over_two(det_size, min_overlap=0.7):
    height, width = det_size
    a1 = 1
    b1 = (height + width)
    c1 = width * height * (1 - min_overlap) / (1 + min_overlap)
    sq1 = np.sqrt(b1 ** 2 - 4 * a1 * c1)
    r1 = (b1 + sq1) / 2
    a2 = 4
    b2 = 2 * (height + width)
    c2 = (1 - min_overlap) * width * height
    sq2 = np.sqrt(b2 ** 2 - 4 * a2 * c2)
    r2 = (b2 + sq2) / 2
    a3 = 4 * min_overlap
    b3 = -2 * min_overlap * (height + width)
    c3 = (min_overlap - 1) * width * height
    sq3 = np.sqrt(b3 ** 2 - 4 * a3 * c3)
    r3 = (b3 + sq3) / 2
    return min(r1, r2, r3)


def radius_smallest_root(det_size, min_overlap=0.7):
    height, width = det_size
    a1 = 1
    b1 = (height + width)
    c1 = width * height * (1 - min_overlap) / (1 + min_overlap)
    sq1 = np.sqrt(b1 ** 2 - 4 * a1 * c1)
    r1 = (b1 - sq1) / (2 * a1)
    a2 = 4
    b2 = 2 * (height + width)
    c2 = (1 - min_overlap) * width * height
    sq2 = np.sqrt(b2 ** 2 - 4 * a2 * c2)
    r2 = (b2 - sq2) / (2 * a2)
    a3 = 4 * min_overlap
    b3 = -2 * min_overlap * (height + width)
    c3 = (min_overlap - 1) * width * height
    sq3 = np.sqrt(b3 ** 2 - 4 * a3 * c3)
    r3 = (b3 + sq3) / (2 * a3)
    return min(r1, r2, r3)


def gaussian2D(shape, sigma=1):
    m, n = [(ss - 1.) / 2. for ss in shape]
    y, x = np.ogrid[-m:m + 1, -n:n + 1]
    h = np.exp(-(x * x + y * y) / (2 * sigma * sigma))
    h[h < np.finfo(h.dtype).eps * h.max()] = 0
    return h


def draw_umich_gaussian(heatmap, center, radius, k=1, delte=6):
    diameter = 2 * radius + 1
    gaussian = gaussian2D((diameter, diameter), sigma=diameter / delte)
    x, y = int(center[0]), int(center[1])
    height, width = heatmap.shape[0:2]
    left, right = min(x, radius), min(width - x, radius + 1)
    top, bottom = min(y, radius), min(height - y, radius + 1)
    masked_heatmap = heatmap[y - top:y + bottom, x - left:x + right]
    masked_gaussian = gaussian[radius - top:radius + bottom, radius - left:radius + right]
    if min(masked_gaussian.shape) > 0 and min(masked_heatmap.shape) > 0:
        np.maximum(masked_heatmap, masked_gaussian * k, out=masked_heatmap)
    return heatmap


def draw_dense_reg(regmap, heatmap, center, value, radius, is_offset=False):
    diameter = 2 * radius + 1
    gaussian = gaussian2D((diameter, diameter), sigma=diameter / 6)
    value = np.array(value, dtype=np.float32).reshape(-1, 1, 1)
    dim = value.shape[0]
    reg = np.ones((dim, diameter * 2 + 1, diameter * 2 + 1), dtype=np.float32) * value
    if is_offset and dim == 2:
        delta = np.arange(diameter * 2 + 1) - radius
        reg[0] = reg[0] - delta.reshape(1, -1)
        reg[1] = reg[1] - delta.reshape(-1, 1)
    x, y = int(center[0]), int(center[1])
    height, width = heatmap.shape[0:2]
    left, right = min(x, radius), min(width - x, radius + 1)
    top, bottom = min(y, radius), min(height - y, radius + 1)
    masked_heatmap = heatmap[y - top:y + bottom, x - left:x + right]
    masked_regmap = regmap[:, y - top:y + bottom, x - left:x + right]
    masked_gaussian = gaussian[radius - top:radius + bottom, radius - left:radius + right]
    masked_reg = reg[:, radius - top:radius + bottom, radius - left:radius + right]
    if min(masked_gaussian.shape) > 0 and min(masked_heatmap.shape) > 0:
        idx = (masked_gaussian >= masked_heatmap).reshape(1, masked_gaussian.shape[0], masked_gaussian.shape[1])
        masked_regmap = (1 - idx) * masked_regmap + idx * masked_reg
    regmap[:, y - top:y + bottom, x - left:x + right] = masked_regmap
    return regmap


def draw_msra_gaussian(heatmap, center, sigma):
    tmp_size = sigma * 3
    mu_x = int(center[0] + 0.5)
    mu_y = int(center[1] + 0.5)
    w, h = heatmap.shape[0], heatmap.shape[1]
    ul = [int(mu_x - tmp_size), int(mu_y - tmp_size)]
    br = [int(mu_x + tmp_size + 1), int(mu_y + tmp_size + 1)]
    if ul[0] >= h or ul[1] >= w or br[0] < 0 or br[1] < 0:
        return heatmap
    size = 2 * tmp_size + 1
    x = np.arange(0, size, 1, np.float32)
    y = x[:, np.newaxis]
    x0 = y0 = size // 2
    g = np.exp(- ((x - x0) ** 2 + (y - y0) ** 2) / (2 * sigma ** 2))
    g_x = max(0, -ul[0]), min(br[0], h) - ul[0]
    g_y = max(0, -ul[1]), min(br[1], w) - ul[1]
    img_x = max(0, ul[0]), min(br[0], h)
    img_y = max(0, ul[1]), min(br[1], w)
    heatmap[img_y[0]:img_y[1], img_x[0]:img_x[1]] = np.maximum(
        heatmap[img_y[0]:img_y[1], img_x[0]:img_x[1]], g[g_y[0]:g_y[1], g_x[0]:g_x[1]])
    return heatmap


# ---------------------------------------------------------------- affine (utils/image.py)
def get_3rd_point(a, b):
    direct = a - b
    return b + np.array([-direct[1], direct[0]], dtype=np.float32)


def get_affine_transform(center, scale, rot, output_size):
    if not isinstance(scale, np.ndarray) and not isinstance(scale, list):
        scale = np.array([scale, scale], dtype=np.float32)
    src_w = scale[0]
    dst_w, dst_h = output_size
    rot_rad = np.pi * rot / 180
    sn, cs = np.sin(rot_rad), np.cos(rot_rad)
    p = [0, float(src_w) * -0.5]
    src_dir = [p[0] * cs - p[1] * sn, p[0] * sn + p[1] * cs]
    dst_dir = np.array([0, dst_w * -0.5], np.float32)
    src = np.zeros((3, 2), dtype=np.float32)
    dst = np.zeros((3, 2), dtype=np.float32)
    src[0, :] = center
    src[1, :] = np.asarray(center, np.float64) + np.asarray(src_dir, np.float64)
    dst[0, :] = [dst_w * 0.5, dst_h * 0.5]
    dst[1, :] = np.array([dst_w * 0.5, dst_h * 0.5], np.float32) + dst_dir
    src[2:, :] = get_3rd_point(src[0, :], src[1, :])
    dst[2:, :] = get_3rd_point(dst[0, :], dst[1, :])
    a = np.hstack([src.astype(np.float64), np.ones((3, 1))])
    mx = np.linalg.solve(a, dst[:, 0].astype(np.float64))
    my = np.linalg.solve(a, dst[:, 1].astype(np.float64))
    return np.stack([mx, my])


def affine_transform(pt, t):
    new_pt = np.array([pt[0], pt[1], 1.], dtype=np.float32).T
    new_pt = np.dot(t, new_pt)
    return new_pt[:2]


# ---------------------------------------------------------------- samples
def ctdet(objs, trans_output, output_w, output_h, num_classes, max_objs, rule, mse=False, hm_gauss=4):
    hm = np.zeros((num_classes, output_h, output_w), dtype=np.float32)
    wh = np.zeros((max_objs, 2), dtype=np.float32)
    dense_wh = np.zeros((2, output_h, output_w), dtype=np.float32)
    reg = np.zeros((max_objs, 2), dtype=np.float32)
    ind = np.zeros((max_objs), dtype=np.int64)
    reg_mask = np.zeros((max_objs), dtype=np.uint8)
    cat_spec_wh = np.zeros((max_objs, num_classes * 2), dtype=np.float32)
    cat_spec_mask = np.zeros((max_objs, num_classes * 2), dtype=np.uint8)
    draw_gaussian = draw_msra_gaussian if mse else draw_umich_gaussian
    for k in range(min(len(objs), max_objs)):
        o = objs[k]
        bbox = np.array(o['box'], dtype=np.float32)
        cls_id = o['cls']
        bbox[:2] = affine_transform(bbox[:2], trans_output)
        bbox[2:] = affine_transform(bbox[2:], trans_output)
        bbox[[0, 2]] = np.clip(bbox[[0, 2]], 0, output_w - 1)
        bbox[[1, 3]] = np.clip(bbox[[1, 3]], 0, output_h - 1)
        h, w = bbox[3] - bbox[1], bbox[2] - bbox[0]
        if h > 0 and w > 0:
            radius = rule((math.ceil(h), math.ceil(w)))
            radius = max(0, int(radius))
            radius = hm_gauss if mse else radius
            ct = np.array([(bbox[0] + bbox[2]) / 2, (bbox[1] + bbox[3]) / 2], dtype=np.float32)
            ct_int = ct.astype(np.int32)
            draw_gaussian(hm[cls_id], ct_int, radius)
            wh[k] = 1. * w, 1. * h
            ind[k] = ct_int[1] * output_w + ct_int[0]
            reg[k] = ct - ct_int
            reg_mask[k] = 1
            cat_spec_wh[k, cls_id * 2: cls_id * 2 + 2] = wh[k]
            cat_spec_mask[k, cls_id * 2: cls_id * 2 + 2] = 1
            draw_dense_reg(dense_wh, hm.max(axis=0), ct_int, wh[k], radius)
    hm_a = hm.max(axis=0, keepdims=True)
    return {'hm': hm, 'wh': wh, 'reg': reg, 'ind': ind, 'reg_mask': reg_mask, 'cat_spec_wh': cat_spec_wh,
            'cat_spec_mask': cat_spec_mask, 'dense_wh': dense_wh,
            'dense_wh_mask': np.concatenate([hm_a, hm_a], axis=0)}


def corner(objs, input_size, output_size, num_classes, max_tag_len, rule, centers, extreme=False):
    """CornerNet (centers=False), Triplets (centers=True) or ExtremeNet (extreme=True); boxes in input pixels."""
    in_h, in_w = input_size
    out_h, out_w = output_size
    names = ['t', 'l', 'b', 'r'] if extreme else (['tl', 'br', 'ct'] if centers else ['tl', 'br'])
    hms = {n: np.zeros((num_classes, out_h, out_w), dtype=np.float32) for n in names + (['ct'] if extreme else [])}
    regrs = {n: np.zeros((max_tag_len, 2), dtype=np.float32) for n in names}
    tags = {n: np.zeros((max_tag_len), dtype=np.int64) for n in names + (['ct'] if extreme else [])}
    tag_masks = np.zeros((max_tag_len), dtype=np.uint8)
    dets = np.array([o['box'] + [o['cls'] + 1] for o in objs], dtype=np.float32).reshape(-1, 5)
    ext = np.array([o.get('extreme', [0] * 8) for o in objs], dtype=np.float32).reshape(-1, 4, 2)
    # _clip_detections(_pts)
    dets[:, 0:4:2] = np.clip(dets[:, 0:4:2], 0, in_w - 1)
    dets[:, 1:4:2] = np.clip(dets[:, 1:4:2], 0, in_h - 1)
    ext[:, :, 0] = np.clip(ext[:, :, 0], 0, in_w - 1)
    ext[:, :, 1] = np.clip(ext[:, :, 1], 0, in_h - 1)
    keep = ((dets[:, 2] - dets[:, 0]) > 0) & ((dets[:, 3] - dets[:, 1]) > 0)
    dets = dets[keep]
    ext = ext[keep]
    width_ratio = out_w / in_w
    height_ratio = out_h / in_h
    tag_len = 0
    for ind, detection in enumerate(dets):
        if tag_len >= max_tag_len:
            break
        category = int(detection[-1]) - 1
        if extreme:
            e = ext[ind]
            pts = {'t': e[0], 'l': e[1], 'b': e[2], 'r': e[3]}
            xct = (e[1, 0] + e[3, 0]) / 2
            yct = (e[0, 1] + e[2, 1]) / 2
        else:
            pts = {'tl': detection[0:2], 'br': detection[2:4]}
            if centers:
                pts['ct'] = np.array([(detection[2] + detection[0]) / 2., (detection[3] + detection[1]) / 2.],
                                     dtype=np.float32)
        width = detection[2] - detection[0]
        height = detection[3] - detection[1]
        width = math.ceil(float(width) * width_ratio)
        height = math.ceil(float(height) * height_ratio)
        radius = max(0, int(rule((height, width))))
        for n in names:
            fx = float(pts[n][0]) * width_ratio
            fy = float(pts[n][1]) * height_ratio
            x, y = int(fx), int(fy)
            draw_umich_gaussian(hms[n][category], [x, y], radius, delte=5 if n == 'ct' else 6)
            regrs[n][tag_len, :] = [fx - x, fy - y]
            tags[n][tag_len] = y * out_w + x
        if extreme:
            x, y = int(float(xct) * width_ratio), int(float(yct) * height_ratio)
            draw_umich_gaussian(hms['ct'][category], [x, y], radius)
            tags['ct'][tag_len] = y * out_w + x
        tag_len += 1
    tag_masks[:tag_len] = 1
    ret = {'tag_masks': tag_masks}
    for n in hms:
        ret[n + '_heatmaps'] = hms[n]
    for n in regrs:
        ret[n + '_regrs'] = regrs[n]
    for n in tags:
        ret[n + '_tags'] = tags[n]
    return ret


def multi_pose(objs, trans_output, output_res, num_classes, num_joints, max_objs, rule):
    hm = np.zeros((num_classes, output_res, output_res), dtype=np.float32)
    hm_hp = np.zeros((num_joints, output_res, output_res), dtype=np.float32)
    wh = np.zeros((max_objs, 2), dtype=np.float32)
    kps = np.zeros((max_objs, num_joints * 2), dtype=np.float32)
    reg = np.zeros((max_objs, 2), dtype=np.float32)
    ind = np.zeros((max_objs), dtype=np.int64)
    reg_mask = np.zeros((max_objs), dtype=np.uint8)
    kps_mask = np.zeros((max_objs, num_joints * 2), dtype=np.uint8)
    hp_offset = np.zeros((max_objs * num_joints, 2), dtype=np.float32)
    hp_ind = np.zeros((max_objs * num_joints), dtype=np.int64)
    hp_mask = np.zeros((max_objs * num_joints), dtype=np.int64)
    for k in range(min(len(objs), max_objs)):
        o = objs[k]
        bbox = np.array(o['box'], dtype=np.float32)
        cls_id = o['cls']
        pts = np.array(o['kps'], np.float32).reshape(num_joints, 3)
        bbox[:2] = affine_transform(bbox[:2], trans_output)
        bbox[2:] = affine_transform(bbox[2:], trans_output)
        bbox = np.clip(bbox, 0, output_res - 1)
        h, w = bbox[3] - bbox[1], bbox[2] - bbox[0]
        if h > 0 and w > 0:
            radius = max(0, int(rule((math.ceil(h), math.ceil(w)))))
            ct = np.array([(bbox[0] + bbox[2]) / 2, (bbox[1] + bbox[3]) / 2], dtype=np.float32)
            ct_int = ct.astype(np.int32)
            wh[k] = 1. * w, 1. * h
            ind[k] = ct_int[1] * output_res + ct_int[0]
            reg[k] = ct - ct_int
            reg_mask[k] = 1
            num_kpts = pts[:, 2].sum()
            if num_kpts == 0:
                hm[cls_id, ct_int[1], ct_int[0]] = 0.9999
                reg_mask[k] = 0
            hp_radius = radius
            for j in range(num_joints):
                if pts[j, 2] > 0:
                    pts[j, :2] = affine_transform(pts[j, :2], trans_output)
                    if 0 <= pts[j, 0] < output_res and 0 <= pts[j, 1] < output_res:
                        kps[k, j * 2: j * 2 + 2] = pts[j, :2] - ct_int
                        kps_mask[k, j * 2: j * 2 + 2] = 1
                        pt_int = pts[j, :2].astype(np.int32)
                        hp_offset[k * num_joints + j] = pts[j, :2] - pt_int
                        hp_ind[k * num_joints + j] = pt_int[1] * output_res + pt_int[0]
                        hp_mask[k * num_joints + j] = 1
                        draw_umich_gaussian(hm_hp[j], pt_int, hp_radius)
            draw_umich_gaussian(hm[cls_id], ct_int, radius)
    return {'hm': hm, 'wh': wh, 'reg': reg, 'ind': ind, 'reg_mask': reg_mask, 'hps': kps, 'hps_mask': kps_mask,
            'hm_hp': hm_hp, 'hp_offset': hp_offset, 'hp_ind': hp_ind, 'hp_mask': hp_mask}


def ddd(objs, trans_output, output_w, output_h, num_classes, max_objs, rule):
    hm = np.zeros((num_classes, output_h, output_w), dtype=np.float32)
    wh = np.zeros((max_objs, 2), dtype=np.float32)
    reg = np.zeros((max_objs, 2), dtype=np.float32)
    dep = np.zeros((max_objs, 1), dtype=np.float32)
    rotbin = np.zeros((max_objs, 2), dtype=np.int64)
    rotres = np.zeros((max_objs, 2), dtype=np.float32)
    dim = np.zeros((max_objs, 3), dtype=np.float32)
    ind = np.zeros((max_objs), dtype=np.int64)
    reg_mask = np.zeros((max_objs), dtype=np.uint8)
    rot_mask = np.zeros((max_objs), dtype=np.uint8)
    for k in range(min(len(objs), max_objs)):
        o = objs[k]
        bbox = np.array(o['box'], dtype=np.float32)
        cls_id = o['cls']
        bbox[:2] = affine_transform(bbox[:2], trans_output)
        bbox[2:] = affine_transform(bbox[2:], trans_output)
        bbox[[0, 2]] = np.clip(bbox[[0, 2]], 0, output_w - 1)
        bbox[[1, 3]] = np.clip(bbox[[1, 3]], 0, output_h - 1)
        h, w = bbox[3] - bbox[1], bbox[2] - bbox[0]
        if h > 0 and w > 0:
            radius = max(0, int(rule((float(h), float(w)))))
            ct = np.array([(bbox[0] + bbox[2]) / 2, (bbox[1] + bbox[3]) / 2], dtype=np.float32)
            ct_int = ct.astype(np.int32)
            draw_umich_gaussian(hm[cls_id], ct, radius)
            wh[k] = 1. * w, 1. * h
            alpha = float(np.float32(o['alpha']))
            if alpha < np.pi / 6. or alpha > 5 * np.pi / 6.:
                rotbin[k, 0] = 1
                rotres[k, 0] = alpha - (-0.5 * np.pi)
            if alpha > -np.pi / 6. or alpha < -5 * np.pi / 6.:
                rotbin[k, 1] = 1
                rotres[k, 1] = alpha - (0.5 * np.pi)
            dep[k] = o['depth']
            dim[k] = o['dim']
            ind[k] = ct_int[1] * output_w + ct_int[0]
            reg[k] = ct - ct_int
            reg_mask[k] = 1
            rot_mask[k] = 1
    return {'hm': hm, 'dep': dep, 'dim': dim, 'ind': ind, 'rotbin': rotbin, 'rotres': rotres,
            'reg_mask': reg_mask, 'rot_mask': rot_mask, 'wh': wh, 'reg': reg}


def get_extreme_points(pts):
    l, t = min(pts[:, 0]), min(pts[:, 1])
    r, b = max(pts[:, 0]), max(pts[:, 1])
    thresh = 0.02
    w = r - l + 1
    h = b - t + 1
    pts = np.concatenate([pts[-1:], pts, pts[:1]], axis=0)
    t_idx = np.argmin(pts[:, 1])
    t_idxs = [t_idx]
    tmp = t_idx + 1
    while tmp < pts.shape[0] and pts[tmp, 1] - pts[t_idx, 1] <= thresh * h:
        t_idxs.append(tmp)
        tmp += 1
    tmp = t_idx - 1
    while tmp >= 0 and pts[tmp, 1] - pts[t_idx, 1] <= thresh * h:
        t_idxs.append(tmp)
        tmp -= 1
    tt = [(max(pts[t_idxs, 0]) + min(pts[t_idxs, 0])) // 2, t]
    b_idx = np.argmax(pts[:, 1])
    b_idxs = [b_idx]
    tmp = b_idx + 1
    while tmp < pts.shape[0] and pts[b_idx, 1] - pts[tmp, 1] <= thresh * h:
        b_idxs.append(tmp)
        tmp += 1
    tmp = b_idx - 1
    while tmp >= 0 and pts[b_idx, 1] - pts[tmp, 1] <= thresh * h:
        b_idxs.append(tmp)
        tmp -= 1
    bb = [(max(pts[b_idxs, 0]) + min(pts[b_idxs, 0])) // 2, b]
    l_idx = np.argmin(pts[:, 0])
    l_idxs = [l_idx]
    tmp = l_idx + 1
    while tmp < pts.shape[0] and pts[tmp, 0] - pts[l_idx, 0] <= thresh * w:
        l_idxs.append(tmp)
        tmp += 1
    tmp = l_idx - 1
    while tmp >= 0 and pts[tmp, 0] - pts[l_idx, 0] <= thresh * w:
        l_idxs.append(tmp)
        tmp -= 1
    ll = [l, (max(pts[l_idxs, 1]) + min(pts[l_idxs, 1])) // 2]
    r_idx = np.argmax(pts[:, 0])
    r_idxs = [r_idx]
    tmp = r_idx + 1
    while tmp < pts.shape[0] and pts[r_idx, 0] - pts[tmp, 0] <= thresh * w:
        r_idxs.append(tmp)
        tmp += 1
    tmp = r_idx - 1
    while tmp >= 0 and pts[r_idx, 0] - pts[tmp, 0] <= thresh * w:
        r_idxs.append(tmp)
        tmp -= 1
    rr = [r, (max(pts[r_idxs, 1]) + min(pts[r_idxs, 1])) // 2]
    return np.array([tt, ll, bb, rr])


# ---------------------------------------------------------------- losses (models/losses.py, py_utils/losses.py)
def sigmoid_clamped(x):
    return np.clip(1 / (1 + np.exp(-x.astype(np.float64))), 1e-4, 1 - 1e-4)


def neg_loss(pred, gt):
    pred = pred.astype(np.float64)
    gt = gt.astype(np.float64)
    pos_inds = (gt == 1).astype(np.float64)
    neg_inds = (gt < 1).astype(np.float64)
    neg_weights = np.power(1 - gt, 4)
    with np.errstate(divide='ignore', invalid='ignore'):
        pos_loss = np.where(pos_inds > 0, np.log(pred) * np.power(1 - pred, 2), 0).sum()
        neg_loss = np.where(neg_inds > 0, np.log(1 - pred) * np.power(pred, 2) * neg_weights, 0).sum()
    num_pos = pos_inds.sum()
    if num_pos == 0:
        return -neg_loss
    return -(pos_loss + neg_loss) / num_pos


def gather(output, ind):
    b, d, h, w = output.shape
    feat = output.reshape(b, d, h * w).transpose(0, 2, 1)
    return np.stack([feat[i, ind[i]] for i in range(b)]).astype(np.float64)


def reg_l1(output, mask, ind, target):
    pred = gather(output, ind)
    m = np.broadcast_to(mask[:, :, None].astype(np.float64), pred.shape)
    return np.abs(pred * m - target * m).sum() / (m.sum() + 1e-4)


def reg_weighted_l1(output, mask, ind, target):
    pred = gather(output, ind)
    m = mask.astype(np.float64)
    return np.abs(pred * m - target * m).sum() / (m.sum() + 1e-4)


def smooth_l1(x):
    a = np.abs(x)
    return np.where(a < 1, 0.5 * a * a, a - 0.5)


def off_loss(output, mask, ind, target):
    pred = gather(output, ind)
    num = mask.astype(np.float64).sum()
    sel = mask.astype(bool)
    return smooth_l1(pred[sel] - target[sel]).sum() / (num + 1e-4)


def ae_loss(tag0, tag1, mask):
    num = mask.sum(axis=1, keepdims=True).astype(np.float64)
    tag_mean = (tag0 + tag1) / 2
    t0 = np.power(tag0 - tag_mean, 2) / (num + 1e-4)
    t1 = np.power(tag1 - tag_mean, 2) / (num + 1e-4)
    m = mask.astype(bool)
    pull = t0[m].sum() + t1[m].sum()
    mask2 = (mask[:, None, :].astype(int) + mask[:, :, None].astype(int)) == 2
    num = num[:, :, None]
    num2 = (num - 1) * num
    dist = tag_mean[:, None, :] - tag_mean[:, :, None]
    dist = np.maximum(1 - np.abs(dist), 0)
    dist = dist - 1 / (num + 1e-4)
    dist = dist / (num2 + 1e-4)
    push = dist[mask2].sum()
    return pull, push


def bin_rot_loss(output, mask, ind, rotbin, rotres):
    pred = gather(output, ind).reshape(-1, 8)
    tb = rotbin.reshape(-1, 2)
    tr = rotres.reshape(-1, 2).astype(np.float64)
    m = mask.reshape(-1, 1).astype(np.float64)

    def ce(logits, target):
        logits = logits * m
        mx = logits.max(axis=1, keepdims=True)
        lse = mx[:, 0] + np.log(np.exp(logits - mx).sum(axis=1))
        return (lse - logits[np.arange(len(target)), target]).mean()

    loss = ce(pred[:, 0:2], tb[:, 0]) + ce(pred[:, 4:6], tb[:, 1])
    for col, c in ((0, 0), (1, 4)):
        idx = np.nonzero(tb[:, col])[0]
        if len(idx) > 0:
            loss += smooth_l1(pred[idx, c + 2] - np.sin(tr[idx, col]).astype(np.float32)).mean()
            loss += smooth_l1(pred[idx, c + 3] - np.cos(tr[idx, col]).astype(np.float32)).mean()
    return loss


# ---------------------------------------------------------------- COCO RLE (pycocotools maskApi.c rleEncode / rleToString)
def rle_counts(mask):
    flat = mask.ravel(order='F')
    counts = []
    prev = 0
    run = 0
    for v in flat:
        if v != prev:
            counts.append(run)
            run = 0
            prev = v
        run += 1
    counts.append(run)
    return counts


def rle_to_string(cnts):
    out = []
    for i in range(len(cnts)):
        x = cnts[i]
        if i > 2:
            x -= cnts[i - 2]
        more = True
        while more:
            c = x & 0x1f
            x >>= 5
            more = (x != -1) if (c & 0x10) else (x != 0)
            if more:
                c |= 0x20
            out.append(chr(c + 48))
    return ''.join(out)


def coco_mini():
    mask = np.zeros((40, 60), np.uint8)
    mask[10:30, 20:45] = 1
    mask[5:10, 30:33] = 1
    mask[30:36, 22:24] = 1
    mask2 = np.zeros((40, 60), np.uint8)
    mask2[2:5, 50:58] = 1
    polygon = [12.5, 30.0, 40.0, 14.2, 70.3, 25.0, 66.0, 60.0, 41.0, 71.9, 15.0, 55.5]
    kps = []
    for j in range(17):
        kps += [float(20 + j), float(10 + 2 * j), [0, 1, 2][j % 3]]
    data = {
        'images': [{'id': 7, 'file_name': 'a.png', 'width': 60, 'height': 40},
                   {'id': 9, 'file_name': 'b.png', 'width': 100, 'height': 80}],
        'categories': [{'id': 90, 'name': 'toothbrush'}, {'id': 1, 'name': 'person'}, {'id': 3, 'name': 'car'}],
        'annotations': [
            {'id': 1, 'image_id': 7, 'category_id': 3, 'bbox': [20, 5, 25, 31], 'iscrowd': 1, 'area': 100,
             'segmentation': {'size': [40, 60], 'counts': rle_to_string(rle_counts(mask))}},
            {'id': 2, 'image_id': 7, 'category_id': 1, 'bbox': [12.5, 14.2, 57.8, 57.7], 'iscrowd': 0, 'area': 50,
             'segmentation': [polygon], 'keypoints': kps},
            {'id': 3, 'image_id': 7, 'category_id': 90, 'bbox': [50, 2, 8, 3], 'iscrowd': 1, 'area': 24,
             'segmentation': {'size': [40, 60], 'counts': rle_counts(mask2)}},
        ]}
    tmp = np.where(mask > 0)
    pts = np.asarray(tmp).transpose()[:, ::-1].astype(np.int32)
    tmp2 = np.where(mask2 > 0)
    pts2 = np.asarray(tmp2).transpose()[:, ::-1].astype(np.int32)
    expected = {'mask1': mask.ravel().tolist(),
                'extreme1': get_extreme_points(pts).astype(np.int32).ravel().tolist(),
                'extreme2': get_extreme_points(np.array(polygon).reshape(-1, 2)).astype(np.int32).ravel().tolist(),
                'extreme3': get_extreme_points(pts2).astype(np.int32).ravel().tolist()}
    return data, expected


# ---------------------------------------------------------------- cases
def save(case, arrays):
    d = os.path.join(OUT, case)
    os.makedirs(d, exist_ok=True)
    for k, v in arrays.items():
        np.save(os.path.join(d, k + '.npy'), v)


def main():
    rng = np.random.RandomState(20261122)
    cases = {}

    # radius table
    sizes = [[0, 0], [1, 1], [2, 3], [3, 2], [5, 17], [10, 10], [13, 40], [64, 7], [100, 120], [128, 128]]
    cases['radius'] = [{'h': h, 'w': w,
                        'plus_root_over_two': float(radius_plus_root_over_two((h, w))),
                        'smallest_root': float(radius_smallest_root((h, w))),
                        'smallest_root_03': float(radius_smallest_root((h, w), 0.3))} for h, w in sizes]

    # kernels and single draws on a 9x11 plane
    draws = []
    for (cx, cy, r) in [(4, 3, 2), (0, 0, 3), (10, 8, 4), (5, 4, 0), (2, 7, 5)]:
        hm = np.zeros((9, 11), np.float32)
        draw_umich_gaussian(hm, (cx, cy), r)
        draws.append({'kind': 'umich', 'cx': cx, 'cy': cy, 'r': r, 'hm': hm.ravel().tolist()})
    for (cx, cy, s) in [(4.4, 3.6, 1), (0.2, 8.7, 2), (10.6, 0.49, 1.5)]:
        hm = np.zeros((9, 11), np.float32)
        draw_msra_gaussian(hm, (cx, cy), s)
        draws.append({'kind': 'msra', 'cx': cx, 'cy': cy, 'sigma': s, 'hm': hm.ravel().tolist()})
    hm = np.zeros((9, 11), np.float32)
    draw_umich_gaussian(hm, (3, 3), 2)
    draw_umich_gaussian(hm, (5, 4), 3)
    draws.append({'kind': 'umich_overlap', 'hm': hm.ravel().tolist()})
    reg = np.zeros((2, 9, 11), np.float32)
    heat = np.zeros((9, 11), np.float32)
    draw_umich_gaussian(heat, (6, 5), 1)
    draw_dense_reg(reg, heat, (4, 4), [1.5, -2.25], 2, is_offset=True)
    draws.append({'kind': 'dense_offset', 'heat': heat.ravel().tolist(), 'reg': reg.ravel().tolist()})
    cases['draws'] = draws

    # ctdet: image 200x150 -> input 128x128 (c, s) -> output 32x32, 3 classes, M = 6
    c = np.array([100., 75.], np.float32)
    s = 200.0
    trans = get_affine_transform(c, s, 0, [32, 32])
    cases['ctdet_transform'] = trans.ravel().tolist()
    cases['rotated_transform'] = get_affine_transform(np.array([123.4, 56.7], np.float32), 300.0, 30,
                                                      [64, 48]).ravel().tolist()
    objs = [
        {'box': [10.3, 20.7, 60.2, 90.9], 'cls': 0},
        {'box': [-30.0, 40.0, 20.5, 80.0], 'cls': 1},     # crosses the left border
        {'box': [150.0, 5.0, 260.0, 149.0], 'cls': 2},     # crosses the right border
        {'box': [50.0, -100.0, 90.0, -60.0], 'cls': 0},    # clipped to nothing (above the crop)
        {'box': [30.0, 30.0, 30.0, 70.0], 'cls': 1},       # zero width
        {'box': [14.0, 25.0, 58.0, 85.0], 'cls': 0},       # overlaps object 0, same class
        {'box': [120.0, 100.0, 140.0, 120.0], 'cls': 1},   # beyond M: ignored
        {'box': [1.0, 1.0, 199.0, 149.0], 'cls': 2},
    ]
    cases['ctdet_objects'] = objs
    save('ctdet', ctdet(objs, trans, 32, 32, 3, 6, radius_plus_root_over_two))
    save('ctdet_smallest', {k: v for k, v in ctdet(objs, trans, 32, 32, 3, 6, radius_smallest_root).items()
                            if k == 'hm'})
    save('ctdet_msra', {k: v for k, v in ctdet(objs, trans, 32, 32, 3, 6, radius_plus_root_over_two,
                                               mse=True, hm_gauss=2).items() if k == 'hm'})

    # CornerNet / Triplets: input 127x127 (boxes in input pixels) -> output 32x32, 2 classes, M = 5
    cobjs = [
        {'box': [10.3, 12.6, 60.9, 70.2], 'cls': 0},
        {'box': [-5.0, 100.0, 30.0, 140.0], 'cls': 1},   # crosses left and bottom
        {'box': [40.0, 40.0, 40.0, 90.0], 'cls': 0},     # zero width: dropped, no gap
        {'box': [20.0, 15.0, 66.0, 72.0], 'cls': 0},     # overlaps object 0
        {'box': [90.5, 3.25, 126.75, 33.5], 'cls': 1},
        {'box': [0.0, 0.0, 126.0, 126.0], 'cls': 1},
        {'box': [5.0, 5.0, 25.0, 25.0], 'cls': 0},       # beyond M
    ]
    cases['corner_objects'] = cobjs
    save('cornernet', corner(cobjs, (127, 127), (32, 32), 2, 5,
                             lambda d: radius_plus_root_over_two(d, 0.7), False))
    save('triplets', corner(cobjs, (127, 127), (32, 32), 2, 5,
                            lambda d: radius_plus_root_over_two(d, 0.7), True))

    # ExtremeNet: polygons -> extreme points -> targets
    polys = [
        [12.5, 30.0, 40.0, 14.2, 70.3, 25.0, 66.0, 60.0, 41.0, 71.9, 15.0, 55.5],
        [80.0, 80.0, 80.4, 80.2, 120.0, 85.0, 118.0, 126.0, 95.0, 110.0, 79.0, 100.0],
        [50.0, 5.0, 51.0, 5.1, 52.0, 5.0, 60.0, 20.0, 45.0, 21.0],
        [1.0, 2.0, 3.0, 2.0, 5.0, 2.0, 5.0, 2.1, 3.0, 9.0, 1.0, 8.0],
    ]
    eobjs = []
    ext = []
    for i, p in enumerate(polys):
        pts = np.array(p).reshape(-1, 2)
        e = get_extreme_points(pts).astype(np.int32)
        ext.append(e.ravel().tolist())
        x0, y0 = pts.min(axis=0)
        x1, y1 = pts.max(axis=0)
        eobjs.append({'box': [float(x0), float(y0), float(x1), float(y1)], 'cls': i % 2,
                      'extreme': [float(v) for v in e.ravel()]})
    mask = np.zeros((12, 16), np.uint8)
    mask[3:9, 4:13] = 1
    mask[2, 7:9] = 1
    mask[9, 5] = 1
    tmp = np.where(mask > 0)
    mpts = np.asarray(tmp).transpose()[:, ::-1].astype(np.int32)
    cases['extreme_polygons'] = polys
    cases['extreme_points'] = ext
    cases['extreme_mask'] = {'h': 12, 'w': 16, 'mask': mask.ravel().tolist(),
                             'points': get_extreme_points(mpts).astype(np.int32).ravel().tolist()}
    cases['extreme_objects'] = eobjs
    save('extremenet', corner(eobjs, (127, 127), (32, 32), 2, 5,
                              lambda d: radius_plus_root_over_two(d, 0.7), False, extreme=True))

    # multi_pose: image 160x120, c/s crop to 128 -> output 32, 17 joints, M = 4
    trans_p = get_affine_transform(np.array([80., 60.], np.float32), 160.0, 0, [32, 32])
    pobjs = []
    for k in range(5):
        x0, y0 = rng.uniform(0, 100), rng.uniform(0, 80)
        box = [x0, y0, x0 + rng.uniform(5, 70), y0 + rng.uniform(5, 60)]
        kps = []
        for j in range(17):
            v = int(rng.choice([0, 1, 2], p=[0.25, 0.25, 0.5]))
            kps += [float(rng.uniform(box[0] - 10, box[2] + 10)), float(rng.uniform(box[1] - 10, box[3] + 40)), v]
        if k == 2:
            kps = [0.0] * 51   # no visible joint: reg_mask 0
        pobjs.append({'box': [float(v) for v in box], 'cls': 0, 'kps': kps})
    cases['pose_transform'] = trans_p.ravel().tolist()
    cases['pose_objects'] = pobjs
    save('multi_pose', multi_pose(pobjs, trans_p, 32, 1, 17, 4, radius_plus_root_over_two))

    # ddd: image 320x96 -> output 80x24 (identity crop: c = centre, s = [320, 96]), 3 classes, M = 5
    trans_d = get_affine_transform(np.array([160., 48.]), np.array([320, 96], np.int32), 0, [80, 24])
    dobjs = []
    for k, alpha in enumerate([-3.0, -1.2, 0.1, 0.7, 2.9, 1.0]):
        x0, y0 = rng.uniform(-20, 300), rng.uniform(0, 80)
        dobjs.append({'box': [float(x0), float(y0), float(x0 + rng.uniform(3, 60)), float(y0 + rng.uniform(3, 30))],
                      'cls': k % 3, 'alpha': alpha, 'depth': float(rng.uniform(5, 60)),
                      'dim': [float(v) for v in rng.uniform(1, 4, 3)]})
    cases['ddd_transform'] = trans_d.ravel().tolist()
    cases['ddd_objects'] = dobjs
    save('ddd', ddd(dobjs, trans_d, 80, 24, 3, 5, radius_plus_root_over_two))

    # losses
    L = {}
    gt = np.zeros((2, 3, 8, 8), np.float32)
    draw_umich_gaussian(gt[0, 1], (3, 4), 2)
    draw_umich_gaussian(gt[0, 1], (5, 5), 1)
    draw_umich_gaussian(gt[1, 2], (7, 0), 3)
    gt[1, 0, 2, 2] = 1.0
    logits = rng.randn(2, 3, 8, 8).astype(np.float32) * 3
    logits[0, 0, 0, 0] = 20.0   # clamped
    logits[1, 1, 1, 1] = -20.0  # clamped
    probs = rng.uniform(0.01, 0.99, (2, 3, 8, 8)).astype(np.float32)
    L['focal_logits'] = float(neg_loss(sigmoid_clamped(logits), gt))
    L['focal_probs'] = float(neg_loss(probs, gt))
    gt0 = gt.copy()
    gt0[gt0 == 1] = 0.5
    L['focal_no_pos'] = float(neg_loss(probs, gt0))
    save('loss', {'gt': gt, 'logits': logits, 'probs': probs, 'gt_no_pos': gt0})

    out = rng.randn(2, 4, 6, 5).astype(np.float32)
    ind = rng.randint(0, 30, (2, 3)).astype(np.int64)
    mask = np.array([[1, 1, 0], [1, 0, 0]], np.uint8)
    target = rng.randn(2, 3, 4).astype(np.float32) * 2
    wmask = (rng.uniform(size=(2, 3, 4)) > 0.5).astype(np.uint8)
    L['reg_l1'] = float(reg_l1(out, mask, ind, target))
    L['reg_weighted_l1'] = float(reg_weighted_l1(out, wmask, ind, target))
    L['smooth_l1'] = float(off_loss(out, mask, ind, target))
    tl = rng.randn(2, 1, 6, 5).astype(np.float32)
    br = rng.randn(2, 1, 6, 5).astype(np.float32)
    ind2 = rng.randint(0, 30, (2, 3)).astype(np.int64)
    pull, push = ae_loss(gather(tl, ind)[:, :, 0], gather(br, ind2)[:, :, 0], mask)
    L['ae_pull'] = float(pull)
    L['ae_push'] = float(push)
    rot = rng.randn(2, 8, 6, 5).astype(np.float32)
    rotbin = np.array([[[1, 0], [1, 1], [0, 0]], [[0, 1], [0, 0], [0, 0]]], np.int64)
    rotres = rng.uniform(-1, 1, (2, 3, 2)).astype(np.float32)
    L['bin_rot'] = float(bin_rot_loss(rot, mask, ind, rotbin, rotres))
    # ctdet total with default weights on the ctdet sample (batch of 1)
    t = ctdet(objs, trans, 32, 32, 3, 6, radius_plus_root_over_two)
    hm_logits = rng.randn(1, 3, 32, 32).astype(np.float32) * 2
    wh_out = (rng.rand(1, 2, 32, 32) * 20).astype(np.float32)
    reg_out = rng.rand(1, 2, 32, 32).astype(np.float32)
    hm_l = neg_loss(sigmoid_clamped(hm_logits), t['hm'][None])
    wh_l = reg_l1(wh_out, t['reg_mask'][None], t['ind'][None], t['wh'][None])
    off_l = reg_l1(reg_out, t['reg_mask'][None], t['ind'][None], t['reg'][None])
    L['ctdet_hm'] = float(hm_l)
    L['ctdet_wh'] = float(wh_l)
    L['ctdet_off'] = float(off_l)
    L['ctdet_total'] = float(hm_l + 0.1 * wh_l + off_l)
    save('loss', {'gt': gt, 'logits': logits, 'probs': probs, 'gt_no_pos': gt0, 'out': out, 'ind': ind,
                  'mask': mask, 'target': target, 'wmask': wmask, 'tl': tl, 'br': br, 'ind2': ind2,
                  'rot': rot, 'rotbin': rotbin, 'rotres': rotres, 'hm_logits': hm_logits, 'wh_out': wh_out,
                  'reg_out': reg_out})
    cases['losses'] = L

    data, expected = coco_mini()
    with open(os.path.join(OUT, 'coco_mini.json'), 'w') as f:
        json.dump(data, f)
    cases['coco_mini'] = expected

    with open(os.path.join(OUT, 'cases.json'), 'w') as f:
        json.dump(cases, f, indent=1)


if __name__ == '__main__':
    main()
