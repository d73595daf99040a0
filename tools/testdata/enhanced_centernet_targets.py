#!/usr/bin/env python3
"""Training targets of Enhanced-CenterNet (GitHub Wastoon/CenterNet-Multi-Func-Det) for KeyDet's encoder tests.

Runs the ORIGINAL ``__getitem__`` of ``GridNeighborDetDataset`` (``src/lib/datasets/sample/gridneighbor.py``),
``CenterLandmarkDataset`` (``AAAI_landmark.py``, the one its dataset factory uses for ``--task landmark``; its
``opts`` and ``matplotlib`` imports, unused by ``__getitem__``, are stubbed) and ``DeepFashionDataset``
(``cloth_landmark.py``), with its ``utils/image.py``, imported from a snapshot of the repository, on real-looking
COCO-style annotations of a
synthetic image, in the ``val`` split (no random crop, flip or colour augmentation): the test-time geometry, center
= image center, scale = max(h, w), a square input (512 or 256), stride 4. The dataset object is built without its COCO loader; a
stub answers ``loadImgs`` / ``getAnnIds`` / ``loadAnns``. Nothing of the upstream code is changed.

Usage (Debian python3-numpy, python3-opencv, python3-torch):
    /usr/bin/python3 tools/testdata/enhanced_centernet_targets.py \
        [--upstream /work/.mirror/Wastoon+CenterNet-Multi-Func-Det/repo] \
        [--out detector-core/src/test/resources/encode/enhanced]
Writes one uncompressed .npz per case (the sample's arrays; the sparse landmark heat maps as hm_hp_index /
hm_hp_value, flat indices of the non-zero values), gridneighbor_coco.json (the GridNeighbor cases' annotations as
one COCO file, for ``keydet targets``) and cases.json (image size, classes, point flags, annotations in
COCO [x, y, w, h] image pixels, 0-based class ids; for landmarks the upstream's own [x1, y1, x2, y2] box format of
its 300W annotation files, and 3J keypoint values).
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import types

import cv2
import numpy as np

DEFAULT_UPSTREAM = "/work/.mirror/Wastoon+CenterNet-Multi-Func-Det/repo"


def load_upstream(git_dir):
    commit = subprocess.check_output(["git", "--git-dir", git_dir, "rev-parse", "HEAD"], text=True).strip()
    tmp = tempfile.mkdtemp(prefix="wastoon-")
    lib = os.path.join(tmp, "src", "lib")
    for rel in ("utils/image.py", "datasets/sample/gridneighbor.py", "datasets/sample/AAAI_landmark.py",
                "datasets/sample/cloth_landmark.py"):
        path = os.path.join(lib, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(subprocess.check_output(["git", "--git-dir", git_dir, "show", commit + ":src/lib/" + rel]))
    for pkg in ("utils", "datasets", "datasets/sample"):
        open(os.path.join(lib, pkg, "__init__.py"), "a").close()
    sys.path.insert(0, lib)
    sys.modules.setdefault("opts", types.SimpleNamespace(opts=None))
    sys.modules.setdefault("matplotlib", types.ModuleType("matplotlib"))
    sys.modules.setdefault("matplotlib.pyplot", types.ModuleType("matplotlib.pyplot"))
    from datasets.sample.gridneighbor import GridNeighborDetDataset  # noqa: E402  (the upstream classes)
    from datasets.sample.AAAI_landmark import CenterLandmarkDataset  # noqa: E402
    from datasets.sample.cloth_landmark import DeepFashionDataset  # noqa: E402
    return {"gridneighbor": GridNeighborDetDataset, "landmark": CenterLandmarkDataset,
            "cloth": DeepFashionDataset}, commit, tmp


class CocoStub:
    def __init__(self, file_name, anns):
        self.file_name = file_name
        self.anns = anns

    def loadImgs(self, ids):
        return [{"file_name": self.file_name}]

    def getAnnIds(self, imgIds):
        return list(range(len(self.anns)))

    def loadAnns(self, ids):
        return [self.anns[i] for i in ids]


def sample(dataset_cls, tmp, name, width, height, num_classes, flags, objects, input_size):
    """objects: (class_id 0-based, [x, y, w, h]) in image pixels."""
    img_dir = os.path.join(tmp, "images")
    os.makedirs(img_dir, exist_ok=True)
    cv2.imwrite(os.path.join(img_dir, name + ".png"), np.full((height, width, 3), 127, np.uint8))
    ds = dataset_cls.__new__(dataset_cls)
    ds.opt = types.SimpleNamespace(
        point_flags=list(flags), keep_res=False, pad=31, input_h=input_size, input_w=input_size, down_ratio=4,
        not_rand_crop=False, flip=0.5, no_color_aug=True, mse_loss=False, hm_gauss=4, dense_wh=False,
        cat_spec_wh=False, reg_offset=True, debug=0)
    ds.split = "val"
    ds.images = [1]
    ds.img_dir = img_dir
    ds.max_objs = 128
    ds.num_classes = num_classes
    ds.cat_ids = {c + 1: c for c in range(num_classes)}
    ds.mean = np.array([0.408, 0.447, 0.470], np.float32).reshape(1, 1, 3)
    ds.std = np.array([0.289, 0.274, 0.278], np.float32).reshape(1, 1, 3)
    ds.coco = CocoStub(name + ".png", [{"bbox": list(map(float, b)), "category_id": c + 1} for c, b in objects])
    ret = ds[0]
    return {k: ret[k] for k in ("hm", "wh", "reg", "ind", "reg_mask")}


CASES = [
    # name, input size, width, height, classes, flags, objects (class, [x, y, w, h])
    ("street_048", 512, 640, 480, 3, [0, 4, 8],
     [(0, [100.5, 120.25, 80.0, 200.0]), (2, [300.0, 50.0, 250.5, 120.75]), (1, [10.0, 400.0, 30.0, 20.0]),
      (0, [620.0, 460.0, 40.0, 40.0]), (1, [0.0, 0.0, 3.0, 2.0])]),
    ("portrait_all9", 256, 375, 500, 2, list(range(9)),
     [(1, [50.0, 60.0, 200.0, 300.0]), (0, [120.3, 200.7, 90.2, 60.9]), (1, [360.0, 10.0, 30.0, 50.0])]),
    ("overlap_unsorted_62", 256, 512, 512, 1, [6, 2],
     [(0, [100.0, 100.0, 120.0, 90.0]), (0, [130.0, 110.0, 110.0, 100.0]), (0, [500.0, 500.0, 0.0, 5.0])]),
    ("single_center", 256, 800, 600, 4, [4],
     [(3, [200.0, 150.0, 400.0, 300.0]), (1, [1.0, 1.0, 799.0, 599.0])]),
]


def landmark_sample(dataset_cls, tmp, name, width, height, num_classes, joints, objects, input_size, max_objs,
                    cloth):
    """objects: (class_id, box, keypoints 3J); box [x1, y1, x2, y2] for landmarks, COCO [x, y, w, h] for cloth."""
    img_dir = os.path.join(tmp, "images")
    os.makedirs(img_dir, exist_ok=True)
    cv2.imwrite(os.path.join(img_dir, name + ".png"), np.full((height, width, 3), 127, np.uint8))
    ds = dataset_cls.__new__(dataset_cls)
    opt = types.SimpleNamespace(
        input_res=input_size, input_h=input_size, input_w=input_size, output_res=input_size // 4,
        output_h=input_size // 4, output_w=input_size // 4, down_ratio=4, keep_inp_res_prob=0, not_rand_crop=False,
        flip=0.5, aug_rot=0, no_color_aug=True, mse_loss=False, hm_gauss=4, dense_hp=False, reg_offset=True,
        hm_hp=True, reg_hp_offset=True, debug=0)
    ds.opt = opt
    ds.opts = opt
    ds.split = "val"
    ds.images = [1]
    ds.img_dir = img_dir
    ds.max_objs = max_objs
    ds.num_classes = num_classes
    ds.num_joints = joints
    ds.flip_idx = []
    ds.mean = np.array([0.408, 0.447, 0.470], np.float32).reshape(1, 1, 3)
    ds.std = np.array([0.289, 0.274, 0.278], np.float32).reshape(1, 1, 3)
    ds.coco = CocoStub(name + ".png", [{"bbox": list(map(float, b)), "category_id": c + 1, "keypoints": kp}
                                       for c, b, kp in objects])
    ret = ds[0]
    out = {k: ret[k] for k in ("hm", "wh", "reg", "ind", "reg_mask", "hps", "hps_mask", "hp_offset", "hp_ind",
                               "hp_mask")}
    flat = ret["hm_hp"].ravel()
    nz = np.nonzero(flat)[0]
    out["hm_hp_index"] = nz.astype(np.int64)
    out["hm_hp_value"] = flat[nz].astype(np.float32)
    out["hm_hp_shape"] = np.array(ret["hm_hp"].shape, np.int64)
    return out


def face(rng, x1, y1, x2, y2, joints=68, hidden=(), outside=()):
    """Keypoints spread over the box (multiples of 1/8: exact in float32 and float64), some hidden or outside."""
    kp = []
    for j in range(joints):
        x = x1 + (x2 - x1) * rng.integers(1, 64) / 64
        y = y1 + (y2 - y1) * rng.integers(1, 64) / 64
        v = 0 if j in hidden else 2
        if j in outside:
            x = -40.0
        kp += [float(x), float(y), v]
    return kp


def cloth_points(rng, category, x, y, w, h):
    counts = [25, 33, 31, 39, 15, 15, 10, 14, 8, 29, 37, 19, 19]
    first = sum(counts[:category])
    kp = []
    for j in range(294):
        if first <= j < first + counts[category]:
            kp += [float(x + w * rng.integers(0, 65) / 64), float(y + h * rng.integers(0, 65) / 64),
                   int(rng.integers(1, 3))]
        else:
            kp += [0.0, 0.0, 0]
    return kp


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--upstream", default=DEFAULT_UPSTREAM)
    ap.add_argument("--out", default="detector-core/src/test/resources/encode/enhanced")
    args = ap.parse_args()
    classes_by_task, commit, tmp = load_upstream(args.upstream)
    dataset_cls = classes_by_task["gridneighbor"]
    os.makedirs(args.out, exist_ok=True)
    index = {"upstream": "github:Wastoon/CenterNet-Multi-Func-Det", "commit": commit,
             "generator": "tools/testdata/enhanced_centernet_targets.py", "cases": {}}
    for name, input_size, width, height, classes, flags, objects in CASES:
        arrays = sample(dataset_cls, tmp, name, width, height, classes, flags, objects, input_size)
        np.savez(os.path.join(args.out, name + ".npz"), **arrays)
        index["cases"][name] = {"input_size": input_size, "width": width, "height": height, "classes": classes, "point_flags": flags,
                                "objects": [{"class": c, "bbox": b} for c, b in objects]}
    coco = {"info": {"description": "the GridNeighbor cases of cases.json as one COCO file (image id = case index"
                                    " + 1, category id = class + 1), for keydet targets"},
            "images": [], "annotations": [],
            "categories": [{"id": c + 1, "name": "class%d" % c} for c in range(max(k[4] for k in CASES))]}
    for i, (name, input_size, width, height, classes, flags, objects) in enumerate(CASES):
        coco["images"].append({"id": i + 1, "file_name": name + ".png", "width": width, "height": height,
                               "case": name})
        for c, b in objects:
            coco["annotations"].append({"id": len(coco["annotations"]) + 1, "image_id": i + 1, "category_id": c + 1,
                                        "bbox": b, "area": b[2] * b[3], "iscrowd": 0})
    with open(os.path.join(args.out, "gridneighbor_coco.json"), "w") as f:
        json.dump(coco, f, indent=1)
        f.write("\n")
    rng = np.random.default_rng(300)
    faces = [
        (0, [100.0, 80.0, 260.0, 270.5], face(rng, 100.0, 80.0, 260.0, 270.5, hidden=(3, 30, 67))),
        (0, [400.25, 300.0, 560.0, 470.0], face(rng, 400.25, 300.0, 560.0, 470.0, outside=(0, 1, 2))),
        (0, [5.0, 5.0, 40.0, 50.0], face(rng, 5.0, 5.0, 40.0, 50.0, hidden=tuple(range(68)))),
    ]
    clothes = [
        (0, [40.0, 60.0, 200.0, 180.0], cloth_points(rng, 0, 40.0, 60.0, 200.0, 180.0)),
        (7, [100.0, 250.0, 150.0, 380.5], cloth_points(rng, 7, 100.0, 250.0, 150.0, 380.5)),
        (12, [300.0, 20.0, 170.0, 600.0], cloth_points(rng, 12, 300.0, 20.0, 170.0, 600.0)),
    ]
    landmark_cases = [
        ("landmark_300w", classes_by_task["landmark"], 640, 480, 1, 68, faces, 512, 32, False),
        ("cloth_deepfashion2", classes_by_task["cloth"], 480, 640, 13, 294, clothes, 128, 15, True),
    ]
    for name, cls, width, height, classes, joints, objects, input_size, max_objs, cloth in landmark_cases:
        arrays = landmark_sample(cls, tmp, name, width, height, classes, joints, objects, input_size, max_objs, cloth)
        np.savez(os.path.join(args.out, name + ".npz"), **arrays)
        index["cases"][name] = {"input_size": input_size, "width": width, "height": height, "classes": classes,
                                "joints": joints, "max_objects": max_objs,
                                "box_format": "xywh" if cloth else "x1y1x2y2",
                                "objects": [{"class": c, "bbox": b, "keypoints": kp} for c, b, kp in objects]}
    with open(os.path.join(args.out, "cases.json"), "w") as f:
        json.dump(index, f, indent=1, sort_keys=True)
        f.write("\n")
    print("wrote %d cases to %s (upstream %s)" % (len(index["cases"]), args.out, commit))


if __name__ == "__main__":
    main()
