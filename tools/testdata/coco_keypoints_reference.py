#!/usr/bin/env python3
"""Writes COCO keypoint evaluation scenarios and pycocotools' own numbers for them into
detector-core/src/test/resources/eval/keypoints/ for CocoKeypointsReferenceTest.

Each scenario is a person_keypoints-style annotations file <name>_gt.json and a results file <name>_res.json;
stats.json holds, per scenario, COCOeval(iouType='keypoints').stats (the 10 numbers, maxDets 20) and the
summary lines summarize() printed. Scenarios:

  basic            two images, fully labelled people, exact, near and far detections, a wrong-image miss
  crowds           crowd regions (num_keypoints 0, and one with labelled keypoints) absorbing several detections,
                   detections inside / outside the doubled crowd box
  unlabelled       people with num_keypoints 0 (ignored; OKS from the doubled box), one whose v > 0 disagrees
                   with num_keypoints 0, and detections matched to them
  ties             equal scores within and across images, a detection with equal OKS to two people (the later
                   wins), duplicate detections
  no_gt_images     images without any annotation that still get detections (false positives), images with
                   annotations and no detections
  missing_kps      partially labelled people (v = 0 keypoints left out of OKS, v = 1 counted), integer and
                   fractional coordinates
  areas            area boundaries 1024 / 9216 (inclusive on both sides), small people (only in "all"), more than
                   20 detections on one image (maxDets 20)
  kps_only         the results of "areas" without bbox: loadRes takes area and box from the keypoints' extent (the
                   bboxes elsewhere are that extent grown by 15 %, so unmatched detections change area range)
  two_categories   a second category with keypoints (every category is evaluated)
  random_1..3      fixed-seed random sets: 40 images, 0-7 people, crowds, unlabelled people, partial labels,
                   perturbed and spurious detections, 3-decimal scores with repeats (random_3 without bbox)

Needs numpy and pycocotools built from the upstream cocodataset/cocoapi source exactly as the docstring of
tools/testdata/coco_eval_reference.py says (cython3 + gcc, for /usr/bin/python3 with Debian's numpy 1.24;
matplotlib, which pycocotools.coco imports only to draw, is replaced by empty modules when absent). Then, from the
repository root:

    PYTHONPATH=SRC/PythonAPI /usr/bin/python3 tools/testdata/coco_keypoints_reference.py
"""
import contextlib
import io
import json
import os
import random
import sys
import types

import numpy as np

try:
    import matplotlib  # noqa: F401  (pycocotools.coco imports it for drawing only)
except ImportError:  # Debian's python3 without python3-matplotlib: stand-ins, never called by the evaluation
    for mod in ("matplotlib", "matplotlib.pyplot", "matplotlib.collections", "matplotlib.patches"):
        sys.modules[mod] = types.ModuleType(mod)
    sys.modules["matplotlib.collections"].PatchCollection = None
    sys.modules["matplotlib.patches"].Polygon = None

if not hasattr(np, "float"):  # old pycocotools releases still use np.float
    np.float = float

from pycocotools.coco import COCO
from pycocotools.cocoeval import COCOeval

OUT = os.path.join("detector-core", "src", "test", "resources", "eval", "keypoints")
PERSON = {"id": 1, "name": "person", "supercategory": "person",
          "keypoints": ["nose", "left_eye", "right_eye", "left_ear", "right_ear", "left_shoulder",
                        "right_shoulder", "left_elbow", "right_elbow", "left_wrist", "right_wrist", "left_hip",
                        "right_hip", "left_knee", "right_knee", "left_ankle", "right_ankle"],
          "skeleton": [[16, 14], [14, 12], [17, 15], [15, 13], [12, 13], [6, 12], [7, 13], [6, 7], [6, 8],
                       [7, 9], [8, 10], [9, 11], [2, 3], [1, 2], [1, 3], [2, 4], [3, 5], [4, 6], [5, 7]]}
# a standing person's keypoints as fractions of the box (x, y)
TEMPLATE = [(.5, .1), (.55, .08), (.45, .08), (.6, .1), (.4, .1), (.65, .25), (.35, .25), (.75, .4), (.25, .4),
            (.8, .55), (.2, .55), (.6, .55), (.4, .55), (.62, .75), (.38, .75), (.63, .95), (.37, .95)]


class Builder:
    """Collects images, annotations and results with running ids."""

    def __init__(self, categories=(PERSON,)):
        self.images, self.anns, self.results = [], [], []
        self.categories = list(categories)
        self.next_ann = 1

    def image(self, iid, w=640, h=480):
        self.images.append({"id": iid, "width": w, "height": h, "file_name": "%d.jpg" % iid})
        return iid

    def person(self, iid, box, kps=None, vis=None, area=None, crowd=0, num=None, cat=1, integer=True):
        """A ground-truth person: keypoints from TEMPLATE in the box unless given; vis per keypoint (default 2)."""
        x, y, w, h = box
        if kps is None:
            kps = [(x + fx * w, y + fy * h) for fx, fy in TEMPLATE]
        if vis is None:
            vis = [2] * 17
        flat = []
        for (px, py), v in zip(kps, vis):
            if v == 0:
                flat += [0, 0, 0]
            elif integer:
                flat += [int(round(px)), int(round(py)), v]
            else:
                flat += [round(px, 2), round(py, 2), v]
        ann = {"id": self.next_ann, "image_id": iid, "category_id": cat, "bbox": list(box),
               "area": area if area is not None else round(w * h * 0.7, 2), "iscrowd": crowd,
               "num_keypoints": num if num is not None else sum(1 for v in vis if v > 0),
               "keypoints": flat}
        self.next_ann += 1
        self.anns.append(ann)
        return ann

    def crowd(self, iid, box, area=None, labelled=False):
        if labelled:
            return self.person(iid, box, area=area, crowd=1)
        return self.person(iid, box, vis=[0] * 17, area=area, crowd=1, num=0)

    def detect(self, iid, kps, score, cat=1, bbox=True):
        flat = []
        for px, py in kps:
            flat += [round(px, 2), round(py, 2), 1]
        r = {"image_id": iid, "category_id": cat, "keypoints": flat, "score": score}
        if bbox:  # a detector's box: the keypoints' extent grown by 15 % on every side
            xs, ys = [p[0] for p in kps], [p[1] for p in kps]
            w, h = max(xs) - min(xs), max(ys) - min(ys)
            r["bbox"] = [round(min(xs) - 0.15 * w, 2), round(min(ys) - 0.15 * h, 2), round(1.3 * w, 2),
                         round(1.3 * h, 2)]
        self.results.append(r)
        return r

    def gt(self):
        return {"images": self.images, "categories": self.categories, "annotations": self.anns}


def template(box):
    x, y, w, h = box
    return [(x + fx * w, y + fy * h) for fx, fy in TEMPLATE]


def jitter(kps, rnd, sd):
    return [(px + rnd.gauss(0, sd), py + rnd.gauss(0, sd)) for px, py in kps]


def shifted(kps, dx, dy):
    return [(px + dx, py + dy) for px, py in kps]


def basic():
    b, rnd = Builder(), random.Random(1)
    b.image(1)
    b.image(2)
    p1 = (100, 50, 120, 300)
    p2 = (350, 80, 100, 250)
    b.person(1, p1)
    b.person(1, p2)
    b.person(2, (200, 100, 150, 330))
    b.detect(1, template(p1), 0.95)                       # exact: OKS 1
    b.detect(1, jitter(template(p2), rnd, 6), 0.9)        # near
    b.detect(1, jitter(template(p2), rnd, 25), 0.6)       # a worse duplicate
    b.detect(1, template((500, 300, 60, 150)), 0.8)       # nowhere near anyone
    b.detect(2, jitter(template((200, 100, 150, 330)), rnd, 12), 0.7)
    return b


def crowds():
    b, rnd = Builder(), random.Random(2)
    for i in (1, 2, 3):
        b.image(i)
    c1 = (300, 100, 200, 200)
    b.crowd(1, c1, area=30000)
    b.person(1, (50, 60, 100, 280))
    # several detections inside the crowd's box and within its doubled box: all absorbed
    for k in range(4):
        b.detect(1, template((320 + 30 * k, 120, 60, 160)), 0.5 + 0.1 * k)
    b.detect(1, template((110, 400, 40, 70)), 0.55)        # inside the doubled box [100, 700] x [0, 500]
    b.detect(1, jitter(template((50, 60, 100, 280)), rnd, 5), 0.45)
    b.detect(1, template((5, 5, 20, 30)), 0.85)           # outside everything
    # a crowd with labelled keypoints (COCO has none such, the rule still applies)
    c2 = (100, 100, 150, 250)
    b.crowd(2, c2, area=20000, labelled=True)
    b.detect(2, jitter(template(c2), rnd, 4), 0.9)
    b.detect(2, jitter(template(c2), rnd, 8), 0.8)
    b.detect(2, template((400, 100, 80, 200)), 0.7)
    b.person(3, (200, 50, 120, 320))
    b.crowd(3, (180, 40, 200, 360), area=40000)
    b.detect(3, jitter(template((200, 50, 120, 320)), rnd, 7), 0.6)
    b.detect(3, jitter(template((200, 50, 120, 320)), rnd, 7), 0.65)
    return b


def unlabelled():
    b, rnd = Builder(), random.Random(3)
    b.image(1)
    b.image(2)
    u1 = (300, 100, 100, 250)
    b.person(1, u1, vis=[0] * 17, num=0)                    # no keypoints labelled: ignored
    b.person(1, (50, 50, 120, 300))
    b.detect(1, template(u1), 0.9)                          # on the unlabelled person
    b.detect(1, jitter(template((50, 50, 120, 300)), rnd, 5), 0.8)
    b.detect(1, template((600, 400, 30, 60)), 0.7)          # far outside the doubled box of u1
    # num_keypoints 0 although keypoints have v > 0: ignored by num_keypoints, OKS from the labelled points
    u2 = (100, 100, 150, 300)
    b.person(2, u2, num=0)
    b.person(2, (400, 100, 120, 280))
    b.detect(2, jitter(template(u2), rnd, 3), 0.95)
    b.detect(2, jitter(template((400, 100, 120, 280)), rnd, 9), 0.5)
    b.detect(2, jitter(template((400, 100, 120, 280)), rnd, 30), 0.6)
    return b


def ties():
    b, rnd = Builder(), random.Random(4)
    for i in (1, 2, 3):
        b.image(i)
    a = (100, 100, 100, 260)
    c = (300, 100, 100, 260)
    b.person(1, a)
    b.person(1, c)
    mid = [((pa[0] + pc[0]) / 2, (pa[1] + pc[1]) / 2) for pa, pc in zip(template(a), template(c))]
    b.detect(1, template((200, 100, 100, 260)), 0.7)       # equal OKS with both: the later person wins
    b.detect(1, mid, 0.7)
    b.detect(1, template(a), 0.5)
    b.detect(1, template(a), 0.5)                           # exact duplicate, same score
    p2 = (150, 60, 140, 340)
    b.person(2, p2)
    b.detect(2, jitter(template(p2), rnd, 15), 0.5)         # same score as image 1's
    b.detect(2, jitter(template(p2), rnd, 4), 0.5)
    b.person(3, (10, 10, 90, 220))
    b.detect(3, template((400, 200, 90, 220)), 0.7)
    b.detect(3, jitter(template((10, 10, 90, 220)), rnd, 6), 0.7)
    return b


def no_gt_images():
    b, rnd = Builder(), random.Random(5)
    for i in range(1, 6):
        b.image(i)
    b.person(1, (100, 100, 120, 300))
    b.person(2, (200, 50, 110, 280))
    b.person(2, (400, 60, 90, 260))
    b.detect(1, jitter(template((100, 100, 120, 300)), rnd, 5), 0.8)
    b.detect(3, template((100, 100, 120, 300)), 0.9)        # image 3 has no people
    b.detect(3, template((300, 100, 80, 200)), 0.4)
    b.detect(5, template((50, 50, 60, 150)), 0.6)           # image 5 neither
    b.detect(2, jitter(template((400, 60, 90, 260)), rnd, 10), 0.3)
    # image 4: no annotations and no detections
    return b


def missing_kps():
    b, rnd = Builder(), random.Random(6)
    b.image(1)
    b.image(2)
    p1 = (100, 80, 140, 320)
    vis1 = [2, 2, 2, 0, 0, 2, 2, 1, 1, 0, 0, 2, 2, 2, 1, 0, 0]
    b.person(1, p1, vis=vis1, integer=False)
    d = jitter(template(p1), rnd, 5)
    d[3], d[4], d[9] = (600, 20), (610, 30), (5, 470)        # far off only where v = 0: no effect
    b.detect(1, d, 0.9)
    p2 = (350, 100, 100, 250)
    vis2 = [0] * 16 + [2]                                   # one labelled keypoint
    b.person(1, p2, vis=vis2)
    b.detect(1, template(p2), 0.8)
    b.detect(1, shifted(template(p2), 40, 0), 0.85)
    p3 = (200, 60, 160, 380)
    vis3 = [1] * 17                                          # labelled, not visible: counted
    b.person(2, p3, vis=vis3, integer=False)
    b.detect(2, jitter(template(p3), rnd, 10), 0.6)
    b.detect(2, jitter(template(p3), rnd, 3), 0.4)
    return b


def areas():
    b, rnd = Builder(), random.Random(7)
    for i in (1, 2, 3):
        b.image(i)
    b.person(1, (10, 10, 32, 40), area=1024)                 # small and medium
    b.person(1, (100, 10, 90, 110), area=9216)               # medium and large
    b.person(1, (250, 10, 20, 40), area=500)                 # small: only in "all"
    b.person(1, (300, 10, 200, 400), area=60000)
    b.detect(1, jitter(template((10, 10, 32, 40)), rnd, 1), 0.9)
    b.detect(1, jitter(template((100, 10, 90, 110)), rnd, 3), 0.8)
    b.detect(1, jitter(template((250, 10, 20, 40)), rnd, 1), 0.7)
    b.detect(1, jitter(template((300, 10, 200, 400)), rnd, 8), 0.6)
    b.detect(1, template((550, 300, 20, 30)), 0.95)          # a small false positive (ignored in medium/large)
    b.detect(1, template((500, 200, 100, 250)), 0.5)         # a large false positive
    b.detect(1, template((400, 300, 140, 110)), 0.85)        # keypoint extent medium (8039), its bbox large
    # 30 detections on image 2: only the 20 best count
    for k in range(5):
        b.person(2, (20 + 120 * k, 100, 100, 300), area=21000)
    for k in range(30):
        box = (20 + 120 * (k % 5), 100, 100, 300)
        b.detect(2, jitter(template(box), rnd, 4 + k), round(0.99 - 0.03 * k, 3))
    b.person(3, (100, 100, 60, 160), area=5000)
    b.detect(3, jitter(template((100, 100, 60, 160)), rnd, 2), 0.3)
    return b


def kps_only():
    b = areas()
    for r in b.results:
        del r["bbox"]
    return b


def two_categories():
    other = {"id": 3, "name": "mannequin", "supercategory": "person", "keypoints": PERSON["keypoints"],
             "skeleton": PERSON["skeleton"]}
    b, rnd = Builder([PERSON, other]), random.Random(8)
    for i in (1, 2):
        b.image(i)
    b.person(1, (100, 100, 120, 300))
    b.person(1, (300, 100, 120, 300), cat=3)
    b.person(2, (50, 50, 100, 260), cat=3)
    b.detect(1, jitter(template((100, 100, 120, 300)), rnd, 5), 0.8)
    b.detect(1, jitter(template((300, 100, 120, 300)), rnd, 5), 0.7, cat=3)
    b.detect(1, jitter(template((300, 100, 120, 300)), rnd, 5), 0.9, cat=1)   # right place, wrong category
    b.detect(2, jitter(template((50, 50, 100, 260)), rnd, 12), 0.6, cat=3)
    return b


def random_set(seed, with_bbox=True):
    rnd = random.Random(seed)
    b = Builder()
    for i in range(1, 41):
        W, H = rnd.choice([(640, 480), (480, 640)])
        b.image(i, W, H)
        n = 0 if i % 8 == 0 else rnd.randint(1, 7)
        people = []
        for _ in range(n):
            w = round(rnd.choice([rnd.uniform(10, 40), rnd.uniform(40, 120), rnd.uniform(120, 300)]), 2)
            h = round(min(w * rnd.uniform(1.5, 3.0), H - 2), 2)
            w = min(w, W - 2)
            x, y = round(rnd.uniform(0, W - w), 2), round(rnd.uniform(0, H - h), 2)
            box = (x, y, w, h)
            kind = rnd.random()
            area = round(w * h * rnd.uniform(0.4, 0.9), 2)
            if kind < 0.07:
                b.crowd(i, box, area=area)
            elif kind < 0.15:
                b.person(i, box, vis=[0] * 17, area=area, num=0)
            else:
                vis = [rnd.choice([0, 1, 2, 2, 2]) for _ in range(17)]
                b.person(i, box, kps=jitter_box(box, rnd), vis=vis, area=area, integer=rnd.random() < 0.7)
            people.append(box)
        for _ in range(rnd.randint(0, 24)):
            if people and rnd.random() < 0.65:
                x, y, w, h = rnd.choice(people)
                kps = jitter(template((x, y, w, h)), rnd, rnd.choice([0.005, 0.01, 0.02, 0.05, 0.15]) * (w * h) ** 0.5)
            else:
                w, h = rnd.uniform(10, 200), rnd.uniform(20, 400)
                kps = template((rnd.uniform(0, W - w), rnd.uniform(0, H - h), w, h))
            score = round(rnd.choice([rnd.random(), 0.5, 0.25, 0.75]), 3)
            b.detect(i, kps, score, bbox=with_bbox)
    return b


def jitter_box(box, rnd):
    x, y, w, h = box
    return [(x + fx * w + rnd.gauss(0, 0.03 * w), y + fy * h + rnd.gauss(0, 0.03 * h)) for fx, fy in TEMPLATE]


SCENARIOS = {
    "basic": basic, "crowds": crowds, "unlabelled": unlabelled, "ties": ties, "no_gt_images": no_gt_images,
    "missing_kps": missing_kps, "areas": areas, "kps_only": kps_only, "two_categories": two_categories,
    "random_1": lambda: random_set(101), "random_2": lambda: random_set(202), "random_3": lambda: random_set(303, with_bbox=False),
}


def main():
    os.makedirs(OUT, exist_ok=True)
    stats = {}
    for name, make in SCENARIOS.items():
        b = make()
        gt_file = os.path.join(OUT, name + "_gt.json")
        res_file = os.path.join(OUT, name + "_res.json")
        with open(gt_file, "w") as f:
            json.dump(b.gt(), f)
        with open(res_file, "w") as f:
            json.dump(b.results, f)
        log = io.StringIO()
        with contextlib.redirect_stdout(log):
            coco = COCO(gt_file)
            dt = coco.loadRes(res_file)
            e = COCOeval(coco, dt, "keypoints")
            e.evaluate()
            e.accumulate()
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            e.summarize()
        stats[name] = {"stats": [float(v) for v in e.stats], "summary": out.getvalue().splitlines()}
        print("%-15s %3d gt %3d results  AP %.4f AR %.4f" % (name, len(b.anns), len(b.results), e.stats[0],
                                                             e.stats[5]))
    with open(os.path.join(OUT, "stats.json"), "w") as f:
        json.dump(stats, f, indent=1)


if __name__ == "__main__":
    main()
