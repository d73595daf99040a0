"""Small hand-built GRID_POINTS heads for KeyDet's tests, saved by numpy in float64 (and one float32 array)
to check ND4J's .npz dtype handling: one object, box (2, 2)-(8, 6) on an 8x10 map, seen by grid points 0
(top-left, score 0.9), 4 (center, 0.6) and 8 (bottom-right, 0.3). Expected fused row: box (2, 2, 8, 6),
score (0.9 + 0.6 + 0.3) / 3 = 0.6.

Usage: python3 tools/testdata/grid_points_heads.py  (writes detector-core/src/test/resources/decode/grid/)
"""
import os
import numpy as np

OUT = os.path.join(os.path.dirname(__file__), '..', '..', 'detector-core', 'src', 'test', 'resources', 'decode', 'grid')

H, W = 8, 10
hm = {p: np.zeros((1, 1, H, W)) for p in (0, 4, 8)}
wh = np.zeros((1, 2, H, W))
for p, (x, y, s) in {0: (2, 2, 0.9), 4: (5, 4, 0.6), 8: (8, 6, 0.3)}.items():
    hm[p][0, 0, y, x] = s
    wh[0, :, y, x] = (6, 4)
reg = np.zeros((1, 2, H, W), dtype=np.float32)
os.makedirs(OUT, exist_ok=True)
np.savez(os.path.join(OUT, 'one_box_f64.npz'), hm_p0=hm[0], hm_p4=hm[4], hm_p8=hm[8], wh=wh, reg=reg)
