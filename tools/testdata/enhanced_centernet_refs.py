#!/usr/bin/env python3
"""Reference outputs of Enhanced-CenterNet (GitHub Wastoon/CenterNet-Multi-Func-Det) decoders for KeyDet's tests.

Runs the ORIGINAL upstream functions, imported from a snapshot of that repository (never copied here):
``gridneighbordet_decode`` (with its ``_topk_gridneighbor`` and ``_tranpose_and_gather_feat_gridneighbor``),
``landmark_decode`` and ``deepfashion2_pose_decode`` of ``src/lib/models/decode.py``, on planted and random heads;
and, for the 13-class DeepFashion2 cases, ``clothlandmark_post_process`` of ``src/lib/utils/post_process.py`` on the
decoded rows (``dets_post_class<j>``: the rows of 1-based class j mapped to the image pixels of an image of the size
in cases.json's ``post``, with the detector's meta c = image center, s = max(h, w)), followed by the category's own
landmark subset as the upstream shows it: ``ClothDetector.show_results`` hands each class-j row to
``Debugger.add_deepfashion2_hp(row[5:593], j - 1)`` (src/lib/utils/debugger.py), which draws only the category's
slice of the 294 landmarks (its ``landmark_split`` table). That function is run with ``cv2.circle`` recording the
centers it draws; ``dets_own_class<j>`` = [n, 5 + 2 L_j] (box, score, the category's L_j landmarks in float) is the
slice of the post-processed rows that the recorded circles prove it drew (checked here: the circles equal the slice
truncated to int32, as that function casts). The table itself is read from the function's source (``ast``) into
cases.json's ``post.landmark_split``.

GridNeighbor box geometry: the upstream decoder's active ``gridneighbor_bbox_decode`` places the box centered
on the point (x +- w/2), which contradicts its own training targets (datasets/sample/gridneighbor.py: the point
of flag f = (row, col) is at (((3-col) x1 + (1+col) x2) / 4, ...) and wh = point - (x1, y1)). Each case is run
twice: as is ("centered" outputs) and with ``gridneighbor_bbox_decode`` replaced by the formula that function
itself carries commented out, (x - w, y - h, x + w 3^(1-col), y + h 3^(1-row)) ("training" outputs). Nothing
else is changed.

Usage (Debian python3-torch, python3-numpy):
    /usr/bin/python3 tools/testdata/enhanced_centernet_refs.py \
        [--upstream /work/.mirror/Wastoon+CenterNet-Multi-Func-Det/repo] \
        [--out detector-core/src/test/resources/decode/enhanced]
The upstream git directory is read with ``git archive`` (commit recorded in cases.json). Deterministic: fixed
seeds. Each case is one uncompressed .npz (heads, float32, NCHW, batch 1 as the upstream code requires for
GridNeighbor) holding the expected detections too; cases.json lists the cases and their settings.
"""
import argparse
import ast
import inspect
import json
import os
import subprocess
import sys
import tempfile

import numpy as np
import torch

DEFAULT_UPSTREAM = "/work/.mirror/Wastoon+CenterNet-Multi-Func-Det/repo"


def load_upstream(git_dir):
    """Extracts src/lib/models/{decode,utils}.py and src/lib/utils/{post_process,image,ddd_utils,debugger}.py of the
    snapshot's HEAD and imports models.decode, utils.post_process and utils.debugger."""
    commit = subprocess.check_output(["git", "--git-dir", git_dir, "rev-parse", "HEAD"], text=True).strip()
    tmp = tempfile.mkdtemp(prefix="wastoon-")
    lib = os.path.join(tmp, "src", "lib")
    for rel in ("models/decode.py", "models/utils.py", "utils/post_process.py", "utils/image.py", "utils/ddd_utils.py",
                "utils/debugger.py"):
        text = subprocess.check_output(["git", "--git-dir", git_dir, "show", commit + ":src/lib/" + rel])
        os.makedirs(os.path.dirname(os.path.join(lib, rel)), exist_ok=True)
        with open(os.path.join(lib, rel), "wb") as f:
            f.write(text)
    for pkg in ("models", "utils"):
        open(os.path.join(lib, pkg, "__init__.py"), "a").close()
    sys.path.insert(0, lib)
    import models.decode as decode  # noqa: E402  (the upstream module)
    import utils.post_process as post_process  # noqa: E402
    import utils.debugger as debugger  # noqa: E402
    decode.post_process = post_process
    decode.debugger = debugger
    return decode, commit


# DeepFashion2 post-processing cases: the image the 13-class, 294-landmark heads stand for (width, height); the
# upstream detector's meta for a fixed-size input (ClothDetector / BaseDetector.pre_process with fix_res): c = image
# center, s = max(height, width), out_height x out_width = the heads' map.
CLOTH_IMAGES = {"df2_c13_full": (200, 150), "df2_c13_no_offsets": (90, 120), "df2_c13_no_hm_hp": (300, 301),
                "df2_c13_k40": (256, 256)}


def upstream_landmark_split(debugger):
    """The landmark_split literal of the upstream Debugger.add_deepfashion2_hp, read from its source."""
    tree = ast.parse(inspect.getsource(debugger.Debugger.add_deepfashion2_hp).strip())
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", None) == "landmark_split":
            return [int(v) for v in ast.literal_eval(node.value)]
    raise RuntimeError("no landmark_split in Debugger.add_deepfashion2_hp")


def drawn_landmarks(debugger, row, category):
    """The centers upstream Debugger.add_deepfashion2_hp draws for one post-processed row (cv2.circle recorded)."""
    dbg = debugger.Debugger(ipynb=True, dataset="deepfashion2")
    dbg.imgs["deepfashion2landmark"] = np.zeros((4, 4, 3), dtype=np.uint8)
    drawn = []
    original = debugger.cv2.circle
    debugger.cv2.circle = lambda img, center, *a, **k: drawn.append((int(center[0]), int(center[1])))
    try:
        dbg.add_deepfashion2_hp(row[5:593], category, img_id="deepfashion2landmark")
    finally:
        debugger.cv2.circle = original
    return drawn


def cloth_post_process(decode, name, dets, h, w, meta, arrays):
    """Upstream clothlandmark_post_process of the decoded rows: per 1-based class, [n, 593] image-pixel rows
    (box, score, 294 landmarks), stored as dets_post_class<j>; and each row's own landmarks (dets_own_class<j>),
    the slice the upstream debugger draws for the row's category."""
    width, height = CLOTH_IMAGES[name]
    c = np.array([width / 2.0, height / 2.0], dtype=np.float32)
    s = max(height, width) * 1.0
    out = decode.post_process.clothlandmark_post_process(dets.copy(), [c], [s], h, w, 13)[0]
    split = upstream_landmark_split(decode.debugger)
    for j in range(1, 14):
        rows = np.array(out[j], dtype=np.float32).reshape(-1, 593)
        arrays["dets_post_class%d" % j] = rows
        first, end = sum(split[:j]), sum(split[:j + 1])
        own = np.concatenate([rows[:, :5], rows[:, 5 + 2 * first:5 + 2 * end]], axis=1)
        for r in range(rows.shape[0]):
            drawn = drawn_landmarks(decode.debugger, out[j][r], j - 1)
            expected = [tuple(p) for p in np.array(own[r, 5:], dtype=np.float32).astype(np.int32).reshape(-1, 2)]
            if drawn != expected:
                raise RuntimeError("%s class %d row %d: the debugger drew %s, not the slice [%d, %d)"
                                   % (name, j, r, drawn[:3], first, end))
        arrays["dets_own_class%d" % j] = own
    meta["post"] = {"image_width": width, "image_height": height, "center": [float(c[0]), float(c[1])],
                    "scale": s, "output_height": h, "output_width": w, "landmark_split": split}


def training_bbox_decode(xs, ys, wh, point_flags):
    """Upstream gridneighbor_bbox_decode with its commented-out (training-consistent) lines active."""
    boxes = []
    for idx, point in enumerate(point_flags):
        xs_i = xs[..., idx]
        ys_i = ys[..., idx]
        w_i = wh[..., 2 * idx]
        h_i = wh[..., 2 * idx + 1]
        row = point // 3
        col = point % 3
        x1 = (xs_i - w_i).unsqueeze(2)
        y1 = (ys_i - h_i).unsqueeze(2)
        x2 = (xs_i + w_i * (3 ** (1 - col))).unsqueeze(2)
        y2 = (ys_i + h_i * (3 ** (1 - row))).unsqueeze(2)
        boxes.append(torch.cat([x1, y1, x2, y2], dim=2))
    return torch.cat(boxes, dim=2)


def random_heat(rng, shape, density=0.15):
    """Probabilities: background below 0.1, some peaks, a few exact copies of a neighbour (plateaus)."""
    heat = rng.uniform(0.0, 0.1, size=shape).astype(np.float32)
    peaks = rng.random(shape) < density
    heat[peaks] = rng.uniform(0.1, 1.0, size=int(peaks.sum())).astype(np.float32)
    return heat


def plant_borders_and_ties(heat):
    """Peaks in the four corners, on each border, a 2-cell plateau and equal scores in two channels."""
    c, h, w = heat.shape[1], heat.shape[2], heat.shape[3]
    if h < 3 or w < 4:
        return
    heat[0, 0, 0, 0] = 0.97
    heat[0, c - 1, h - 1, w - 1] = 0.96
    heat[0, 0, 0, w - 1] = 0.95
    heat[0, c - 1, h - 1, 0] = 0.94
    heat[0, 0, h // 2, 0] = 0.93
    heat[0, 0, h // 2, 1] = 0.0
    # plateau of two equal maxima: both survive NMS
    heat[0, c // 2, 1, w // 2] = 0.91
    heat[0, c // 2, 1, w // 2 + 1] = 0.91
    # the same score in two channels
    heat[0, 0, h - 2, 2] = 0.89
    heat[0, c - 1, h - 2, w - 3] = 0.89


def gridneighbor_cases(decode, rng):
    cases = []
    specs = [
        # name, C, flags, H, W, K, reg
        ("gn_c1_center_k1", 1, [4], 5, 6, 1, True),
        ("gn_tiny_2x3_k6", 2, [0, 8], 2, 3, 6, True),
        ("gn_c3_048_reg", 3, [0, 4, 8], 12, 16, 10, True),
        ("gn_c3_048_noreg", 3, [0, 4, 8], 12, 16, 10, False),
        ("gn_c13_all9_noreg", 13, list(range(9)), 10, 10, 20, False),
        ("gn_c13_all9_reg", 13, list(range(9)), 9, 11, 15, True),
        ("gn_c80_08_k100", 80, [0, 8], 16, 16, 100, True),
        ("gn_c2_unsorted_826", 2, [8, 2, 6], 8, 9, 12, True),
        ("gn_c1_13_57", 1, [1, 3, 5, 7], 7, 7, 5, False),
        ("gn_c4_k_beyond_peaks", 4, [2, 6], 6, 6, 36, True),
        ("gn_c2_five_top_row", 2, [0, 1, 2, 3, 4], 8, 8, 8, True),
        ("gn_c1_six", 1, [0, 2, 3, 5, 6, 8], 7, 9, 6, False),
        ("gn_c3_seven", 3, [0, 1, 2, 4, 6, 7, 8], 6, 7, 9, True),
        ("gn_c2_eight_no_center", 2, [0, 1, 2, 3, 5, 6, 7, 8], 5, 6, 4, True),
    ]
    for name, c, flags, h, w, k, with_reg in specs:
        p = len(flags)
        hm = random_heat(rng, (1, c * p, h, w))
        plant_borders_and_ties(hm)
        wh = rng.uniform(0.5, 12.0, size=(1, 2 * p, h, w)).astype(np.float32)
        reg = rng.uniform(0.0, 1.0, size=(1, 2 * p, h, w)).astype(np.float32)
        arrays = {"hm": hm, "wh": wh}
        if with_reg:
            arrays["reg"] = reg
        out = {}
        for geometry, bbox_fn in (("centered", decode.gridneighbor_bbox_decode), ("training", training_bbox_decode)):
            original = decode.gridneighbor_bbox_decode
            decode.gridneighbor_bbox_decode = bbox_fn
            try:
                dets = decode.gridneighbordet_decode(
                    torch.from_numpy(hm.copy()), torch.from_numpy(wh.copy()), flags,
                    reg=torch.from_numpy(reg.copy()) if with_reg else None, K=k)
            finally:
                decode.gridneighbor_bbox_decode = original
            out["dets_" + geometry] = dets.numpy().astype(np.float32)  # [1, K, 4P + P + P]
        arrays.update(out)
        cases.append((name, {"family": "gridneighbor", "classes": c, "point_flags": flags, "K": k,
                             "reg": with_reg}, arrays))
    return cases


def pose_like_cases(decode, rng):
    cases = []
    specs = [
        # name, fn, C, J, H, W, K, reg, hm_hp, hp_offset
        ("lm_68_full", "landmark", 1, 68, 10, 10, 10, True, True, True, False),
        ("lm_68_no_offsets", "landmark", 1, 68, 8, 9, 8, False, True, False, False),
        ("lm_68_no_hm_hp", "landmark", 1, 68, 8, 8, 6, True, False, False, False),
        ("lm_19_k1", "landmark", 1, 19, 6, 7, 1, True, True, True, False),
        ("lm_5_c3_tiny", "landmark", 3, 5, 3, 4, 12, True, True, True, False),
        ("df2_c13_full", "deepfashion2", 13, 294, 8, 8, 10, True, True, True, False),
        ("df2_c13_no_offsets", "deepfashion2", 13, 294, 6, 7, 6, False, True, False, False),
        ("df2_c13_no_hm_hp", "deepfashion2", 13, 294, 6, 6, 6, True, False, False, False),
        ("df2_c2_j7_k1", "deepfashion2", 2, 7, 5, 5, 1, True, True, True, False),
        ("df2_c13_k40", "deepfashion2", 13, 294, 8, 8, 40, True, True, True, False),
    ]
    for name, fn, c, j, h, w, k, with_reg, with_hp, with_off, _ in specs:
        hm = random_heat(rng, (1, c, h, w))
        plant_borders_and_ties(hm)
        wh = rng.uniform(2.0, 12.0, size=(1, 2, h, w)).astype(np.float32)
        reg = rng.uniform(0.0, 1.0, size=(1, 2, h, w)).astype(np.float32)
        hps = (rng.standard_normal(size=(1, 2 * j, h, w)) * 3).astype(np.float32)
        hm_hp = random_heat(rng, (1, j, h, w), density=0.25)
        hm_hp[0, 0] *= 0.1  # joint 0 never above the 0.1 threshold: only invalid heat-map joints (-10000, -10000)
        hp_offset = rng.uniform(0.0, 1.0, size=(1, 2, h, w)).astype(np.float32)
        arrays = {"hm": hm, "wh": wh, "hps": hps}
        kwargs = {"K": k}
        if with_reg:
            arrays["reg"] = reg
            kwargs["reg"] = torch.from_numpy(reg.copy())
        if with_hp:
            arrays["hm_hp"] = hm_hp
            kwargs["hm_hp"] = torch.from_numpy(hm_hp.copy())
            if with_off:
                arrays["hp_offset"] = hp_offset
                kwargs["hp_offset"] = torch.from_numpy(hp_offset.copy())
        args = (torch.from_numpy(hm.copy()), torch.from_numpy(wh.copy()), torch.from_numpy(hps.copy()))
        if fn == "landmark":
            # reg_only both ways on the same heads ("dets_reg_only": the regressed landmarks, never snapped)
            for only, key in ((False, "dets"), (True, "dets_reg_only")):
                fresh = tuple(a.clone() for a in args)  # the upstream decoder adds to kps in place
                dets = decode.landmark_decode(*fresh, reg_only=only, **kwargs)
                arrays[key] = dets.numpy().astype(np.float32)  # [1, K, 4 + 1 + 2J + 1]
        else:
            dets = decode.deepfashion2_pose_decode(*args, **kwargs)
            arrays["dets"] = dets.numpy().astype(np.float32)
        meta = {"family": fn, "classes": c, "joints": j, "K": k, "reg": with_reg, "hm_hp": with_hp,
                "hp_offset": with_off}
        if name in CLOTH_IMAGES:
            cloth_post_process(decode, name, arrays["dets"], h, w, meta, arrays)
        cases.append((name, meta, arrays))
    return cases


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--upstream", default=DEFAULT_UPSTREAM, help="git directory of the upstream snapshot")
    ap.add_argument("--out", default="detector-core/src/test/resources/decode/enhanced")
    ap.add_argument("--only", choices=["gridneighbor", "pose"], help="generate one group only")
    args = ap.parse_args()
    decode, commit = load_upstream(args.upstream)
    torch.manual_seed(0)
    os.makedirs(args.out, exist_ok=True)
    index_path = os.path.join(args.out, "cases.json")
    index = {"upstream": "github:Wastoon/CenterNet-Multi-Func-Det", "commit": commit,
             "generator": "tools/testdata/enhanced_centernet_refs.py", "cases": {}}
    if os.path.exists(index_path):
        with open(index_path) as f:
            index["cases"] = json.load(f).get("cases", {})
    cases = []
    if args.only in (None, "gridneighbor"):
        cases += gridneighbor_cases(decode, np.random.default_rng(12))
    if args.only in (None, "pose"):
        cases += pose_like_cases(decode, np.random.default_rng(68))
    for name, meta, arrays in cases:
        np.savez(os.path.join(args.out, name + ".npz"), **arrays)
        index["cases"][name] = meta
    with open(index_path, "w") as f:
        json.dump(index, f, indent=1, sort_keys=True)
        f.write("\n")
    print("wrote %d cases to %s (upstream %s)" % (len(cases), args.out, commit))


if __name__ == "__main__":
    main()
