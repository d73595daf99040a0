"""Loading published checkpoints into the KeyDet definitions.

* CenterNet `.pth`: {'epoch', 'state_dict'}; keys may carry `module.` (DataParallel) - stripped like upstream
  `load_model` (but not `module_list`).
* CornerNet-Lite / CenterNet-Triplets / ExtremeNet / CornerNet `.pkl`: a bare state_dict saved from a
  `DummyModule`/`DataParallel` wrapper, keys `module.` + ... - stripped.
* Original CornerNet (princeton-vl/CornerNet `kp`) layout -> CornerNet-Lite layout, and ExtremeNet `exkp`
  layout (`t_heats`, `t_regrs`, ...) -> CenterNet exdet layout (`hm_t`, `reg_t`, ...), by renaming the first
  key component.
"""
import torch

CORNERNET_ORIG_TO_LITE = {"pre": "hg.pre", "kps": "hg.hgs", "cnvs": "hg.cnvs", "inters": "hg.inters",
                          "inters_": "hg.inters_", "cnvs_": "hg.cnvs_", "tl_cnvs": "tl_modules",
                          "br_cnvs": "br_modules", "tl_regrs": "tl_offs", "br_regrs": "br_offs"}
EXTREMENET_TO_CENTERNET = {"t_heats": "hm_t", "l_heats": "hm_l", "b_heats": "hm_b", "r_heats": "hm_r",
                           "ct_heats": "hm_c", "t_regrs": "reg_t", "l_regrs": "reg_l", "b_regrs": "reg_b",
                           "r_regrs": "reg_r"}


def read_state_dict(path):
    obj = torch.load(path, map_location="cpu")
    if isinstance(obj, dict) and "state_dict" in obj and isinstance(obj["state_dict"], dict):
        obj = obj["state_dict"]
    if hasattr(obj, "state_dict") and not isinstance(obj, dict):
        obj = obj.state_dict()
    out = {}
    for k, v in obj.items():
        if k.startswith("module.") and not k.startswith("module_list"):
            k = k[len("module."):]
        out[k] = v
    return out


def _rename_first(sd, table):
    out = {}
    for k, v in sd.items():
        head, _, rest = k.partition(".")
        out[table.get(head, head) + ("." + rest if rest else "")] = v
    return out


def adapt(sd, task):
    """Returns (state_dict in KeyDet/upstream-CenterNet naming, layout name)."""
    keys = set(k.split(".")[0] for k in sd)
    if task == "cornernet" and "kps" in keys and "hg" not in keys:
        return _rename_first(sd, CORNERNET_ORIG_TO_LITE), "cornernet-original"
    if task == "exdet" and "t_heats" in keys:
        return _rename_first(sd, EXTREMENET_TO_CENTERNET), "extremenet"
    return sd, "native"


def load_into(model, path, task, strict=True):
    sd, layout = adapt(read_state_dict(path), task)
    own = model.state_dict()
    missing = [k for k in own if k not in sd and not k.endswith("num_batches_tracked")]
    unexpected = [k for k in sd if k not in own]
    bad_shape = [(k, tuple(sd[k].shape), tuple(own[k].shape)) for k in own
                 if k in sd and tuple(sd[k].shape) != tuple(own[k].shape)]
    if strict and (missing or unexpected or bad_shape):
        msg = ["checkpoint %s does not match the %s model:" % (path, task)]
        msg += ["  missing: " + k for k in missing[:20]]
        msg += ["  unexpected: " + k for k in unexpected[:20]]
        msg += ["  shape: %s checkpoint %s model %s" % t for t in bad_shape[:20]]
        msg.append("(%d missing, %d unexpected, %d shape mismatches; --non-strict loads the rest)"
                   % (len(missing), len(unexpected), len(bad_shape)))
        raise SystemExit("\n".join(msg))
    filtered = {k: v for k, v in sd.items() if k in own and tuple(v.shape) == tuple(own[k].shape)}
    model.load_state_dict(filtered, strict=False)
    print("loaded %s (%s layout): %d tensors, %d missing, %d unexpected, %d shape mismatches"
          % (path, layout, len(filtered), len(missing), len(unexpected), len(bad_shape)))
    return layout
