#!/usr/bin/env python3
"""Writes a fixed-seed COCO data set, a results file and pycocotools' 12 numbers (bbox and segm) into
detector-core/src/test/resources/eval/ for CocoReferenceTest.

Needs numpy and pycocotools. The committed files were made with pycocotools built from the upstream
cocodataset/cocoapi source (PythonAPI/pycocotools/{__init__,coco,cocoeval,mask}.py and _mask.pyx,
common/maskApi.{c,h}; Debian bookworm has no python3-pycocotools) with Debian's cython3 0.29 and gcc, for
/usr/bin/python3 (3.11, numpy 1.24). To reproduce, with that source tree in SRC:

    cd SRC/PythonAPI
    cython3 -3 pycocotools/_mask.pyx -o pycocotools/_mask.c
    gcc -shared -fPIC -O2 -std=c99 -I$(python3 -c 'import sysconfig; print(sysconfig.get_paths()["include"])') \\
        -I$(python3 -c 'import numpy; print(numpy.get_include())') -I../common \\
        pycocotools/_mask.c ../common/maskApi.c \\
        -o pycocotools/_mask$(python3 -c 'import sysconfig; print(sysconfig.get_config_var("EXT_SUFFIX"))')

then, from the repository root:  PYTHONPATH=SRC/PythonAPI python3 tools/testdata/coco_eval_reference.py
(`pip install pycocotools` works as well where PyPI is reachable: the 2.0.11 wheel writes byte-identical files.)
"""
import json
import os
import random

import numpy as np

if not hasattr(np, "float"):  # old pycocotools releases still use np.float
    np.float = float

from pycocotools.coco import COCO
from pycocotools.cocoeval import COCOeval

OUT = os.path.join("detector-core", "src", "test", "resources", "eval")


def polygon(x, y, w, h, rnd):
    # an octagon inside the box, like ExtremeNet's masks
    cx, cy = x + w / 2, y + h / 2
    pts = []
    for k in range(8):
        a = np.pi / 4 * k
        r = 0.5 + 0.5 * rnd.random()
        pts += [round(cx + np.cos(a) * w / 2 * r, 2), round(cy + np.sin(a) * h / 2 * r, 2)]
    return [pts]


def main():
    rnd = random.Random(12345)
    images, anns, results = [], [], []
    cats = [{"id": k, "name": "c%d" % k} for k in (1, 2, 3, 5, 8)]
    aid = 1
    for i in range(1, 51):
        W, H = rnd.choice([(320, 240), (200, 300)])
        images.append({"id": i, "width": W, "height": H, "file_name": "%d.jpg" % i})
        n = 0 if i % 10 == 0 else rnd.randint(1, 8)
        objs = []
        for _ in range(n):
            w = round(rnd.choice([rnd.uniform(3, 30), rnd.uniform(30, 100), rnd.uniform(100, 190)]), 2)
            h = round(min(rnd.uniform(0.5, 1.5) * w, H - 2), 2)
            w = min(w, W - 2)
            x, y = round(rnd.uniform(0, W - w), 2), round(rnd.uniform(0, H - h), 2)
            cat = rnd.choice(cats)["id"] if rnd.random() > 0.1 else 8 if i % 2 else 1
            crowd = 1 if rnd.random() < 0.06 else 0
            seg = polygon(x, y, w, h, rnd)
            anns.append({"id": aid, "image_id": i, "category_id": cat, "bbox": [x, y, w, h],
                         "area": round(w * h * rnd.uniform(0.6, 1.0), 2), "iscrowd": crowd, "segmentation": seg})
            objs.append((x, y, w, h, cat))
            aid += 1
        for d in range(rnd.randint(0, 25)):
            if objs and rnd.random() < 0.6:
                x, y, w, h, cat = rnd.choice(objs)
                x, y = round(x + rnd.gauss(0, 0.1) * w, 2), round(y + rnd.gauss(0, 0.1) * h, 2)
                w, h = round(w * rnd.uniform(0.8, 1.2), 2), round(h * rnd.uniform(0.8, 1.2), 2)
                if rnd.random() < 0.1:
                    cat = rnd.choice(cats)["id"]
            else:
                w, h = round(rnd.uniform(3, 150), 2), round(rnd.uniform(3, 150), 2)
                x, y, cat = round(rnd.uniform(0, W - w), 2), round(rnd.uniform(0, H - h), 2), rnd.choice(cats)["id"]
            score = round(rnd.choice([rnd.random(), 0.5, 0.25]), 3)  # some equal scores
            results.append({"image_id": i, "category_id": cat, "bbox": [x, y, w, h], "score": score,
                            "segmentation": polygon(x, y, w, h, rnd)})
    gt = {"images": images, "categories": cats, "annotations": anns}
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, "ref_instances.json"), "w") as f:
        json.dump(gt, f)
    with open(os.path.join(OUT, "ref_results.json"), "w") as f:
        json.dump(results, f)
    stats = {}
    for t in ("bbox", "segm"):
        coco = COCO(os.path.join(OUT, "ref_instances.json"))
        dt = coco.loadRes(os.path.join(OUT, "ref_results.json"))
        e = COCOeval(coco, dt, t)
        e.evaluate()
        e.accumulate()
        e.summarize()
        stats[t] = [float(v) for v in e.stats]
    with open(os.path.join(OUT, "ref_stats.json"), "w") as f:
        json.dump(stats, f, indent=1)


if __name__ == "__main__":
    main()
