"""Small hand-built GRIDNEIGHBOR heads for KeyDet's tests, saved by numpy in float64 (and one float32 array) to
check ND4J's .npz dtype handling and the decoder by hand: one object of class 0, box (2, 2)-(8, 6) on an 8x10
output map, seen by point flags 0, 4, 8 (P = 3, channel = class * P + point index) as the upstream training targets
place them (datasets/sample/gridneighbor.py of GitHub Wastoon/CenterNet-Multi-Func-Det): flag (row, col) at
(((3 - col) x1 + (1 + col) x2) / 4, ((3 - row) y1 + (1 + row) y2) / 4), wh = point - (x1, y1):

    flag 0: point (3.5, 3), cell (3, 3) + reg (0.5, 0), wh (1.5, 1), score 0.9
    flag 4: point (5, 4),   cell (5, 4) + reg (0, 0),   wh (3, 2),   score 0.6
    flag 8: point (6.5, 5), cell (6, 5) + reg (0.5, 0), wh (4.5, 3), score 0.3

Each decodes (x - w, y - h, x + w 3^(1 - col), y + h 3^(1 - row)) to the box (2, 2, 8, 6).

Usage: python3 tools/testdata/gridneighbor_f64_heads.py  (writes detector-core/src/test/resources/decode/gridneighbor/)
"""
import os
import numpy as np

OUT = os.path.join(os.path.dirname(__file__), '..', '..', 'detector-core', 'src', 'test', 'resources', 'decode',
                   'gridneighbor')

H, W = 8, 10
hm = np.zeros((1, 3, H, W))
wh = np.zeros((1, 6, H, W))
reg = np.zeros((1, 6, H, W), dtype=np.float32)
for idx, (cx, cy, rx, ry, w, h, s) in enumerate([(3, 3, 0.5, 0, 1.5, 1, 0.9), (5, 4, 0, 0, 3, 2, 0.6),
                                                (6, 5, 0.5, 0, 4.5, 3, 0.3)]):
    hm[0, idx, cy, cx] = s
    wh[0, 2 * idx:2 * idx + 2, cy, cx] = (w, h)
    reg[0, 2 * idx:2 * idx + 2, cy, cx] = (rx, ry)
os.makedirs(OUT, exist_ok=True)
np.savez(os.path.join(OUT, 'one_box_f64.npz'), hm=hm, wh=wh, reg=reg)
