#!/usr/bin/env python3
"""Writes expected_keys/dextr_dextr.txt from the UPSTREAM network itself (not from keydet_export):
scaelles/DEXTR-PyTorch networks/deeplab_resnet.py `resnet101(1, nInputChannels=4, classifier='psp')`, the
constructor ExtremeNet's dextr.py and DEXTR's demo.py use for `dextr_pascal-sbd.pth`.

  git --git-dir=<mirror of scaelles/DEXTR-PyTorch> archive HEAD | tar -x -C /tmp/DEXTR-PyTorch
  /usr/bin/python3 tools/export/expected_keys/upstream_dextr_keys.py /tmp/DEXTR-PyTorch
"""
import contextlib
import io
import os
import sys

sys.path.insert(0, sys.argv[1])
import networks.deeplab_resnet as resnet  # noqa: E402

with contextlib.redirect_stdout(io.StringIO()):
    net = resnet.resnet101(1, nInputChannels=4, classifier="psp")
rows = sorted((k, tuple(v.shape)) for k, v in net.state_dict().items())
out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "dextr_dextr.txt")
with open(out, "w") as f:
    f.write("".join("%s %s\n" % (n, "x".join(map(str, s)) if s else "scalar") for n, s in rows))
print("wrote %s (%d tensors, %.2fM parameters)" % (out, len(rows), sum(p.numel() for p in net.parameters()) / 1e6))

# the same weights in keydet_export's definition give the same output as upstream (+ the demo's upsample)
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from keydet_export import dextr  # noqa: E402

torch.manual_seed(0)
for m in net.modules():  # upstream init is N(0, 0.01) convs / unit BN: give BN statistics something to do
    if isinstance(m, torch.nn.BatchNorm2d):
        m.running_mean.uniform_(-0.1, 0.1)
        m.running_var.uniform_(0.5, 1.5)
mine = dextr.build()
mine.load_state_dict(net.state_dict(), strict=True)
net.eval()
mine.eval()
x = torch.rand(1, 4, 96, 96) * 255
with torch.no_grad():
    ref = F.interpolate(net(x), size=(96, 96), mode="bilinear", align_corners=True)
    got = mine(x)["mask"]
d = (ref - got).abs().max().item() / ref.abs().max().item()
print("upstream vs keydet_export output on [1,4,96,96]: max rel diff %.3g" % d)
sys.exit(0 if d < 1e-5 else 1)
