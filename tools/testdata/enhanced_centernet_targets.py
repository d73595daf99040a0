#!/usr/bin/env python3
"""Training targets of Enhanced-CenterNet (GitHub Wastoon/CenterNet-Multi-Func-Det) for KeyDet's encoder tests.

Runs the ORIGINAL ``GridNeighborDetDataset.__getitem__`` of ``src/lib/datasets/sample/gridneighbor.py`` (with its
``utils/image.py``), imported from a snapshot of the repository, on real-looking COCO-style annotations of a
synthetic image, in the ``val`` split (no random crop, flip or colour augmentation): the test-time geometry, center
= image center, scale = max(h, w), a square input (512 or 256), stride 4. The dataset object is built without its COCO loader; a
stub answers ``loadImgs`` / ``getAnnIds`` / ``loadAnns``. Nothing of the upstream code is changed.

Usage (Debian python3-numpy, python3-opencv, python3-torch):
    /usr/bin/python3 tools/testdata/enhanced_centernet_targets.py \
        [--upstream /work/.mirror/Wastoon+CenterNet-Multi-Func-Det/repo] \
        [--out detector-core/src/test/resources/encode/gridneighbor]
Writes one uncompressed .npz per case (the sample's hm, wh, reg, ind, reg_mask) and cases.json (image size,
classes, point flags, annotations in COCO [x, y, w, h] image pixels, 0-based class ids).
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
    for rel in ("utils/image.py", "datasets/sample/gridneighbor.py"):
        path = os.path.join(lib, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(subprocess.check_output(["git", "--git-dir", git_dir, "show", commit + ":src/lib/" + rel]))
    for pkg in ("utils", "datasets", "datasets/sample"):
        open(os.path.join(lib, pkg, "__init__.py"), "a").close()
    sys.path.insert(0, lib)
    from datasets.sample.gridneighbor import GridNeighborDetDataset  # noqa: E402  (the upstream class)
    return GridNeighborDetDataset, commit, tmp


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


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--upstream", default=DEFAULT_UPSTREAM)
    ap.add_argument("--out", default="detector-core/src/test/resources/encode/gridneighbor")
    args = ap.parse_args()
    dataset_cls, commit, tmp = load_upstream(args.upstream)
    os.makedirs(args.out, exist_ok=True)
    index = {"upstream": "github:Wastoon/CenterNet-Multi-Func-Det", "commit": commit,
             "generator": "tools/testdata/enhanced_centernet_targets.py", "cases": {}}
    for name, input_size, width, height, classes, flags, objects in CASES:
        arrays = sample(dataset_cls, tmp, name, width, height, classes, flags, objects, input_size)
        np.savez(os.path.join(args.out, name + ".npz"), **arrays)
        index["cases"][name] = {"input_size": input_size, "width": width, "height": height, "classes": classes, "point_flags": flags,
                                "objects": [{"class": c, "bbox": b} for c, b in objects]}
    with open(os.path.join(args.out, "cases.json"), "w") as f:
        json.dump(index, f, indent=1, sort_keys=True)
        f.write("\n")
    print("wrote %d cases to %s (upstream %s)" % (len(CASES), args.out, commit))


if __name__ == "__main__":
    main()
