#!/usr/bin/env python3
"""Writes expected_keys/{saccade,squeeze}_cornernet.txt from the UPSTREAM networks themselves (not from
keydet_export): princeton-vl/CornerNet-Lite core/models/CornerNet_Saccade.py and CornerNet_Squeeze.py `model()`,
the constructors whose state_dict, behind `module.`, is the published CornerNet_Saccade_500000.pkl /
CornerNet_Squeeze_500000.pkl layout. The upstream files are read from the snapshot's HEAD into a temporary
directory; only the compiled corner-pool extensions (top_pool, ...) are replaced, by modules computing the same
scans with keydet_export.ops.

Then it saves the upstream model's random weights as a `.pkl` with `module.` prefixes (the training code's
format), loads that file with checkpoint.load_into into the keydet_export model and checks that the two give the
same outputs: upstream `_train`'s last-stack heads (and attention maps) against keydet_export's forward.

  /usr/bin/python3 tools/export/expected_keys/upstream_lite_keys.py \
      [--upstream /work/.mirror/princeton-vl+CornerNet-Lite/repo/.git]
"""
import argparse
import os
import subprocess
import sys
import tempfile
import types

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))

from keydet_export import ops, registry  # noqa: E402
from keydet_export.checkpoint import load_into  # noqa: E402
from keydet_export.init import near_identity_  # noqa: E402

FILES = ["core/models/__init__.py", "core/models/CornerNet_Saccade.py", "core/models/CornerNet_Squeeze.py",
         "core/models/py_utils/__init__.py", "core/models/py_utils/utils.py", "core/models/py_utils/modules.py",
         "core/models/py_utils/losses.py", "core/models/py_utils/_cpools/__init__.py"]


def extract(git_dir):
    tmp = tempfile.mkdtemp(prefix="cornernet-lite-")
    for f in FILES:
        os.makedirs(os.path.join(tmp, os.path.dirname(f)), exist_ok=True)
        with open(os.path.join(tmp, f), "wb") as out:
            out.write(subprocess.check_output(["git", "--git-dir", git_dir, "show", "HEAD:" + f]))
    open(os.path.join(tmp, "core", "__init__.py"), "w").close()
    for name, pool in (("top_pool", ops.TopPool), ("bottom_pool", ops.BottomPool), ("left_pool", ops.LeftPool),
                       ("right_pool", ops.RightPool)):
        mod = types.ModuleType(name)
        mod.forward = (lambda p: lambda x: [p()(x)])(pool)
        sys.modules[name] = mod
    sys.path.insert(0, tmp)
    return tmp


def rows_text(sd):
    rows = sorted((k, tuple(v.shape)) for k, v in sd.items())
    return "".join("%s %s\n" % (n, "x".join(map(str, s)) if s else "scalar") for n, s in rows)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--upstream", default="/work/.mirror/princeton-vl+CornerNet-Lite/repo/.git")
    a = ap.parse_args()
    extract(a.upstream)
    import core.models.CornerNet_Saccade as saccade  # noqa: E402  (the upstream modules)
    import core.models.CornerNet_Squeeze as squeeze  # noqa: E402
    ok = True
    for arch, upstream_model, size in (("saccade", saccade.model, 255), ("squeeze", squeeze.model, 255)):
        torch.manual_seed(0)
        up = upstream_model()
        near_identity_(up, seed=1)  # tame random weights, so that the comparison means something
        up.eval()
        path = os.path.join(HERE, "%s_cornernet.txt" % arch)
        with open(path, "w") as f:
            f.write(rows_text(up.state_dict()))
        print("wrote %s (%d tensors, %.2fM parameters)" % (path, len(up.state_dict()),
                                                          sum(p.numel() for p in up.parameters()) / 1e6))
        mine, names = registry.build(arch, "cornernet")
        mine.eval()
        with tempfile.TemporaryDirectory() as d:
            pkl = os.path.join(d, "%s.pkl" % arch)
            torch.save({"module." + k: v for k, v in up.state_dict().items()}, pkl)
            load_into(mine, pkl, "cornernet")
        x = torch.randn(1, 3, size, size, generator=torch.Generator().manual_seed(2))
        with torch.no_grad():
            outs = up._train(x)
            ref = {n: outs[i][-1] for i, n in enumerate(registry.CORNER_OUTPUTS)}
            if arch == "saccade":
                ref.update({n: outs[6][-1][j] for j, n in enumerate(registry.SACCADE_ATTENTION)})
            got = mine(x)
        for n in names:
            d = (ref[n] - got[n]).abs().max().item() / max(ref[n].abs().max().item(), 1e-12)
            print("  %s %-8s %s max rel diff %.3g" % (arch, n, tuple(got[n].shape), d))
            ok = ok and d < 1e-5 and ref[n].shape == got[n].shape
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
