#!/usr/bin/env python3
"""Small hand-planted CornerNet and ExtremeNet heads (logits) for the `keydet decode` command tests.

Run from the repository root: /usr/bin/python3 tools/testdata/make_decode_cli_npz.py
Writes detector-examples/src/test/resources/decode/{cornernet,extremenet}_one_object.npz and
centernet_one_peak_4x4.npz.
"""
import numpy as np

OUT = "detector-examples/src/test/resources/decode/"
BG = -10.0

# CornerNet: one tl corner at (x=2, y=1) logit 2, one br corner at (x=6, y=5) logit 3, tags 0.1 / 0.2, offsets
# (0.25, 0.5) and (0.75, 0.125). Expected best row: box [2.25, 1.5, 6.75, 5.125], score (s(2) + s(3)) / 2.
h = w = 8
tl = np.full((1, 1, h, w), BG, np.float32); tl[0, 0, 1, 2] = 2.0
br = np.full((1, 1, h, w), BG, np.float32); br[0, 0, 5, 6] = 3.0
tl_tag = np.zeros((1, 1, h, w), np.float32); tl_tag[0, 0, 1, 2] = 0.1
br_tag = np.zeros((1, 1, h, w), np.float32); br_tag[0, 0, 5, 6] = 0.2
tl_regr = np.zeros((1, 2, h, w), np.float32); tl_regr[0, :, 1, 2] = (0.25, 0.5)
br_regr = np.zeros((1, 2, h, w), np.float32); br_regr[0, :, 5, 6] = (0.75, 0.125)
np.savez(OUT + "cornernet_one_object.npz", tl_heat=tl, br_heat=br, tl_tag=tl_tag, br_tag=br_tag,
         tl_regr=tl_regr, br_regr=br_regr)

# ExtremeNet without offsets (+0.5 on every point): t (8, 2), l (3, 8), b (9, 13), r (12, 7), logit 2 each; the
# center cell (int((3 + 12 + 0.5) / 2), int((2 + 13 + 0.5) / 2)) = (7, 7) logit 2. Expected best row with
# --aggr-weight 0: box [3.5, 2.5, 12.5, 13.5], score s(2), points t, l, b, r.
h = w = 16
maps = {}
for name, (x, y) in {"t_heat": (8, 2), "l_heat": (3, 8), "b_heat": (9, 13), "r_heat": (12, 7), "ct_heat": (7, 7)}.items():
    m = np.full((1, 1, h, w), BG, np.float32)
    m[0, 0, y, x] = 2.0
    maps[name] = m
np.savez(OUT + "extremenet_one_object.npz", **maps)

# CenterNet on a 4x4 map with one peak (probability 0.8 at x=2, y=1) and wh 2 everywhere, no reg: with K = 10 the
# decoder fills nine rows with peak-suppressed cells (score 0), which `keydet decode` must not write.
hm = np.zeros((1, 1, 4, 4), np.float32); hm[0, 0, 1, 2] = 0.8
wh = np.full((1, 2, 4, 4), 2.0, np.float32)
np.savez(OUT + "centernet_one_peak_4x4.npz", hm=hm, wh=wh)

# CornerNet border rejection (`--no-border`), no offsets: tl corners at (x=2, y=0) logit 3 (top row) and (1, 2)
# logit 1, br corners at (6, 5) logit 3 and (7, 4) logit 2 (right column), all tags 0. Without --no-border the best
# row is the top-row tl with the first br; with it only pairs of cells off the map border remain, the best
# being tl (1, 2) with br (6, 5): box [1, 2, 6, 5], score (s(1) + s(3)) / 2.
h = w = 8
tl = np.full((1, 1, h, w), BG, np.float32); tl[0, 0, 0, 2] = 3.0; tl[0, 0, 2, 1] = 1.0
br = np.full((1, 1, h, w), BG, np.float32); br[0, 0, 5, 6] = 3.0; br[0, 0, 4, 7] = 2.0
zeros = np.zeros((1, 1, h, w), np.float32)
np.savez(OUT + "cornernet_border.npz", tl_heat=tl, br_heat=br, tl_tag=zeros, br_tag=zeros)
