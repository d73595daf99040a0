"""Arch x task table: which network, which heads, canonical output names and KeyDet metadata."""
import json

from .dla import DLASeg
from .hourglass import CenterNetHourglass, CornerNetHourglass, TripletsHourglass
from .lite import SaccadeNet, SqueezeNet
from .resnet import PoseResNet
from . import dextr

COCO80 = ["person", "bicycle", "car", "motorcycle", "airplane", "bus", "train", "truck", "boat", "traffic light",
          "fire hydrant", "stop sign", "parking meter", "bench", "bird", "cat", "dog", "horse", "sheep", "cow",
          "elephant", "bear", "zebra", "giraffe", "backpack", "umbrella", "handbag", "tie", "suitcase", "frisbee",
          "skis", "snowboard", "sports ball", "kite", "baseball bat", "baseball glove", "skateboard", "surfboard",
          "tennis racket", "bottle", "wine glass", "cup", "fork", "knife", "spoon", "bowl", "banana", "apple",
          "sandwich", "orange", "broccoli", "carrot", "hot dog", "pizza", "donut", "cake", "chair", "couch",
          "potted plant", "bed", "dining table", "toilet", "tv", "laptop", "mouse", "remote", "keyboard",
          "cell phone", "microwave", "oven", "toaster", "sink", "refrigerator", "book", "clock", "vase",
          "scissors", "teddy bear", "hair drier", "toothbrush"]
KITTI3 = ["Pedestrian", "Car", "Cyclist"]

CENTERNET_MEAN, CENTERNET_STD = [0.408, 0.447, 0.470], [0.289, 0.274, 0.278]
# CornerNet / CenterNet-Triplets COCO db (core/dbs/coco.py), BGR order like CenterNet
CORNERNET_MEAN, CORNERNET_STD = [0.40789654, 0.44719302, 0.47026115], [0.28863828, 0.27408164, 0.27809835]
IMAGENET_MEAN, IMAGENET_STD = [0.485, 0.456, 0.406], [0.229, 0.224, 0.225]  # CenterNet ddd (KITTI)

ARCHS = ["dla34", "res18", "resdcn18", "resdcn101", "hourglass104", "saccade", "squeeze", "dextr"]
TASKS = ["ctdet", "multi_pose", "ddd", "exdet", "cornernet", "triplets", "gridneighbordet", "dextr"]

# Wastoon/CenterNet-Multi-Func-Det opts.py: --point_flags '0, 4, 8' (cells of a row-major 3x3 grid over the box)
DEFAULT_POINT_FLAGS = (0, 4, 8)

# the pairs upstream defines (published checkpoints / opts.py)
PAIRS = [("dla34", "ctdet"), ("res18", "ctdet"), ("resdcn18", "ctdet"), ("resdcn101", "ctdet"),
         ("hourglass104", "ctdet"), ("dla34", "multi_pose"), ("hourglass104", "multi_pose"),
         ("resdcn18", "multi_pose"), ("res18", "multi_pose"), ("dla34", "ddd"), ("resdcn18", "ddd"),
         ("hourglass104", "exdet"), ("hourglass104", "cornernet"), ("hourglass104", "triplets"),
         ("dla34", "exdet"), ("dextr", "dextr"), ("hourglass104", "gridneighbordet"), ("saccade", "cornernet"),
         ("squeeze", "cornernet")]

# CornerNet-Saccade's attention maps (logits [N, 1, h, w]) after its corner heads: att0 at 1/16 of the input
# (large objects), att1 at 1/8 (medium), att2 at 1/4 (small); the test code's att_ratios
SACCADE_ATTENTION = ["att0", "att1", "att2"]
SACCADE_ATT_RATIOS = [16, 8, 4]
CORNER_OUTPUTS = ["tl_heat", "br_heat", "tl_tag", "br_tag", "tl_regr", "br_regr"]

# pairs left out of the committed tiny test models (same modules as others; keeps the resources small)
NOT_TINY = [("dla34", "exdet"),
            # CornerNet-Saccade's tiny model and its data: tools/testdata/saccade_reference.py
            ("saccade", "cornernet")]

# upstream head name -> KeyDet canonical output name (identity unless listed)
RENAME = {"hm_t": "t_heat", "hm_l": "l_heat", "hm_b": "b_heat", "hm_r": "r_heat", "hm_c": "ct_heat",
          "reg_t": "t_regr", "reg_l": "l_regr", "reg_b": "b_regr", "reg_r": "r_regr"}


def parse_point_flags(text):
    """'0,4,8' -> (0, 4, 8); flags must be distinct cells 0..8 (GridNeighbor's point_flags)."""
    try:
        flags = tuple(int(v) for v in str(text).split(","))
    except ValueError:
        raise SystemExit("--point-flags must be comma-separated integers 0..8, got %r" % text)
    bad = [f for f in flags if f < 0 or f > 8]
    if bad or len(set(flags)) != len(flags) or not flags:
        raise SystemExit("--point-flags must be distinct cells 0..8 of the 3x3 grid, got %r" % text)
    return flags


def task_heads(task, num_classes=None, point_flags=DEFAULT_POINT_FLAGS):
    if task == "gridneighbordet":
        # Wastoon opts.py: hm has C * P channels (channel = class * P + point index), wh and reg 2P
        p = len(point_flags)
        return {"hm": (num_classes or 80) * p, "wh": 2 * p, "reg": 2 * p}
    if task == "ctdet":
        c = num_classes or 80
        return {"hm": c, "wh": 2, "reg": 2}
    if task == "multi_pose":
        return {"hm": num_classes or 1, "wh": 2, "hps": 34, "reg": 2, "hm_hp": 17, "hp_offset": 2}
    if task == "ddd":
        return {"hm": num_classes or 3, "dep": 1, "rot": 8, "dim": 3, "wh": 2, "reg": 2}
    if task == "exdet":
        c = num_classes or 80
        h = {"hm_t": c, "hm_l": c, "hm_b": c, "hm_r": c, "hm_c": c}
        h.update({"reg_t": 2, "reg_l": 2, "reg_b": 2, "reg_r": 2})
        return h
    return None  # cornernet / triplets have fixed head sets


def build(arch, task, tiny=False, num_classes=None, point_flags=DEFAULT_POINT_FLAGS):
    """Returns (model, ordered list of canonical output names)."""
    if (arch, task) not in PAIRS:
        raise SystemExit("unsupported arch/task pair %s/%s; supported: %s" % (arch, task, PAIRS))
    if arch == "dextr":  # segmenter (keydet_export/dextr.py): one output, the 512x512 mask logits
        return dextr.build(tiny), ["mask"]
    heads = task_heads(task, num_classes, point_flags)
    if arch == "dla34":
        if tiny:
            m = DLASeg(heads, head_conv=8, channels=(4, 4, 8, 8, 16, 16), fc_classes=0)
        else:
            m = DLASeg(heads, head_conv=256)
    elif arch in ("res18", "resdcn18", "resdcn101"):
        layers = 18 if arch.endswith("18") else 101
        dcn = arch.startswith("resdcn")
        if tiny:
            m = PoseResNet(layers, heads, head_conv=8, dcn=dcn, width=4 if layers == 18 else 2,
                           layers=[2, 2, 2, 2] if layers == 18 else [1, 2, 3, 1],
                           deconv=[8, 8, 8])
        else:
            m = PoseResNet(layers, heads, head_conv=64, dcn=dcn)
    elif arch == "saccade":
        kw = dict(nstack=2, dims=(8, 8, 16, 16), pre_dim=4, cnv_dim=8, pool_dim=4) if tiny else {}
        m = SaccadeNet(num_classes or 80, **kw)
        return m, CORNER_OUTPUTS + SACCADE_ATTENTION
    elif arch == "squeeze":
        kw = dict(nstack=2, dims=(8, 8, 16), modules=(1, 1, 2), pre_dim=4, cnv_dim=8, pool_dim=4) if tiny else {}
        m = SqueezeNet(num_classes or 80, **kw)
        return m, CORNER_OUTPUTS
    elif arch == "hourglass104":
        kw = dict(n=2, nstack=2, dims=(8, 8, 16), modules=(1, 1, 2), pre_dim=4, cnv_dim=8) if tiny else {}
        if task in ("ctdet", "multi_pose", "exdet", "gridneighbordet"):
            # gridneighbordet: Wastoon's large_hourglass.exkp, CenterNet's network with its heads (same modules)
            m = CenterNetHourglass(heads, **kw)
        elif task == "cornernet":
            m = CornerNetHourglass(num_classes or 80, pool_dim=4 if tiny else 128, **kw)
        else:
            m = TripletsHourglass(num_classes or 80, pool_dim=4 if tiny else 128, **kw)
    else:
        raise SystemExit("unknown arch " + arch)
    if heads is not None:
        names = [RENAME.get(h, h) for h in heads]
    elif task == "cornernet":
        names = ["tl_heat", "br_heat", "tl_tag", "br_tag", "tl_regr", "br_regr"]
    else:
        names = ["tl_heat", "br_heat", "tl_tag", "br_tag", "tl_regr", "br_regr", "ct_heat", "ct_regr"]
    return m, names


def input_channels(task):
    return 4 if task == "dextr" else 3


def default_input_size(task, tiny, arch=None):
    if arch == "saccade":
        return (255, 255)  # the crop size of CornerNet-Saccade's test code, also for the tiny model
    if arch == "squeeze":
        return (127, 127) if tiny else (511, 511)
    if task == "dextr":
        return (512, 512)  # DEXTR's fixed crop size, also for the tiny model
    if tiny:
        return (64, 128) if task == "ddd" else (64, 64)
    return (384, 1280) if task == "ddd" else (512, 512)


def metadata(arch, task, input_hw, labels=None, normalization=None, point_flags=DEFAULT_POINT_FLAGS):
    if task == "dextr":
        return dextr.metadata(input_hw)
    family = {"ctdet": "CENTERNET", "multi_pose": "MULTI_POSE", "ddd": "DDD", "exdet": "EXTREMENET",
              "cornernet": "CORNERNET", "triplets": "CENTERNET_TRIPLETS", "gridneighbordet": "GRIDNEIGHBOR"}[task]
    if normalization is None:
        normalization = {"cornernet": "cornernet", "triplets": "cornernet", "ddd": "imagenet"}.get(task, "centernet")
    mean, std = {"cornernet": (CORNERNET_MEAN, CORNERNET_STD), "imagenet": (IMAGENET_MEAN, IMAGENET_STD),
                 "centernet": (CENTERNET_MEAN, CENTERNET_STD)}[normalization]
    if labels is None:
        labels = {"multi_pose": ["person"], "ddd": KITTI3}.get(task, COCO80)
    md = {
        "keydet.family": family,
        "keydet.input_height": str(input_hw[0]),
        "keydet.input_width": str(input_hw[1]),
        "keydet.layout": "NCHW",
        "keydet.channel_order": "BGR",
        "keydet.value_scale": "0.00392156862745098",
        "keydet.mean": ",".join(repr(float(v)) for v in mean),
        "keydet.std": ",".join(repr(float(v)) for v in std),
        "keydet.resize": "AFFINE_WARP",
        "keydet.pad_multiple": "128" if arch == "hourglass104" else "32",
        "keydet.stride": "4",
        "keydet.heatmaps": "LOGITS",
        "keydet.labels": json.dumps(labels),
        "keydet.source": "keydet tools/export arch=%s task=%s" % (arch, task),
    }
    if task == "multi_pose":
        md["keydet.num_joints"] = "17"
    if task == "gridneighbordet":
        md["keydet.grid_points"] = ",".join(str(f) for f in point_flags)
        md["keydet.source"] += " point_flags=" + md["keydet.grid_points"]
    if arch == "saccade":
        md["keydet.family"] = "CORNERNET_SACCADE"
        md["keydet.attention_ratios"] = ",".join(str(r) for r in SACCADE_ATT_RATIOS)
    if arch == "squeeze":
        md["keydet.stride"] = "8"  # three stride-2 layers before the hourglasses
        # configs/CornerNet_Squeeze.json's test settings, which differ from CornerNet's (top_k 100)
        md["keydet.top_k"] = "20"
        md["keydet.num_dets"] = "100"
    if arch in ("saccade", "squeeze"):
        md["keydet.pad_multiple"] = "128"
    return md
