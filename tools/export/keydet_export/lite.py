"""CornerNet-Lite's two networks in the parameter layout of their published checkpoints
(princeton-vl/CornerNet-Lite core/models/CornerNet_Saccade.py, CornerNet_Squeeze.py, py_utils/modules.py; the
`.pkl` files carry these names behind `module.`, which checkpoint.py strips):

* `SaccadeNet`  - CornerNet-Saccade: Hourglass-54 (3 stacks of a 3-level hourglass, dims 256-384-384-512, one
  residual per level), corner pools, and per stack three attention heads on the hourglass' up-path merges
  (`att_modules.<stack>.<j>`: j = 0 on the 384-channel merge at 1/16 of the input, 1 on the 384-channel one at
  1/8, 2 on the 256-channel one at 1/4: the attention maps of large, medium and small objects, `att_ratios`
  16, 8, 4 of the test code).
* `SqueezeNet`  - CornerNet-Squeeze: 2 stacks of a 4-level hourglass of fire modules with transposed-convolution
  up-sampling, a pre-network of stride 8, 1x1 prediction convolutions.

Only the last stack's heads run at inference (the others exist so checkpoints load strictly). Outputs are raw:
heat maps and attention maps as logits (upstream's `_test` applies the sigmoid to the attention maps itself).
"""
import torch
import torch.nn as nn

from .hourglass import CornerPool, convolution, merge_mod, residual, Upsample2
from .ops import BottomPool, LeftPool, RightPool, TopPool

HEADS = [("tl_heats", "heat"), ("br_heats", "heat"), ("tl_tags", 1), ("br_tags", 1), ("tl_offs", 2),
         ("br_offs", 2)]


def pred_mod(cnv_dim, out_dim, k=3):
    """`_pred_mod`: k x k convolution + ReLU (no BN), 1x1 to the output."""
    return nn.Sequential(convolution(k, cnv_dim, cnv_dim, with_bn=False), nn.Conv2d(cnv_dim, out_dim, 1))


class Add(nn.Module):
    """`merge`: elementwise sum (no parameters)."""

    def forward(self, x, y):
        return x + y


class SaccadeModule(nn.Module):
    """`saccade_module`: an hourglass level that also returns the merges of the levels below it and its own,
    innermost first."""

    def __init__(self, n, dims, modules):
        super().__init__()
        cur, nxt, cm, nm = dims[0], dims[1], modules[0], modules[1]
        self.n = n
        self.up1 = nn.Sequential(*[residual(cur, cur) for _ in range(cm)])
        self.max1 = nn.Sequential()
        self.low1 = nn.Sequential(residual(cur, nxt, stride=2), *[residual(nxt, nxt) for _ in range(cm - 1)])
        self.low2 = SaccadeModule(n - 1, dims[1:], modules[1:]) if n > 1 else \
            nn.Sequential(*[residual(nxt, nxt) for _ in range(nm)])
        self.low3 = nn.Sequential(*[residual(nxt, nxt) for _ in range(cm - 1)], residual(nxt, cur))
        self.up2 = Upsample2()
        self.merg = Add()

    def forward(self, x):
        low1 = self.low1(self.max1(x))
        if self.n > 1:
            low2, mergs = self.low2(low1)
        else:
            low2, mergs = self.low2(low1), []
        merg = self.merg(self.up1(x), self.up2(self.low3(low2)))
        return merg, mergs + [merg]


class Stacks(nn.Module):
    """`hg` / `saccade`: pre-network, stacked hourglasses with their `cnvs` and the intermediate merges."""

    def __init__(self, pre, hgs, cnv_dim, cur):
        super().__init__()
        nstack = len(hgs)
        self.pre = pre
        self.hgs = hgs
        self.cnvs = nn.ModuleList([convolution(3, cur, cnv_dim) for _ in range(nstack)])
        self.inters = nn.ModuleList([residual(cur, cur) for _ in range(nstack - 1)])
        self.cnvs_ = nn.ModuleList([merge_mod(cnv_dim, cur) for _ in range(nstack - 1)])
        self.inters_ = nn.ModuleList([merge_mod(cur, cur) for _ in range(nstack - 1)])

    def forward(self, x):
        """The last stack's features and, for saccade modules, its merges."""
        inter = self.pre(x)
        cnv, ups = None, None
        for i, (hg, cnv_) in enumerate(zip(self.hgs, self.cnvs)):
            out = hg(inter)
            hg_out, ups = out if isinstance(out, tuple) else (out, None)
            cnv = cnv_(hg_out)
            if i < len(self.hgs) - 1:
                inter = nn.functional.relu(self.inters_[i](inter) + self.cnvs_[i](cnv))
                inter = self.inters[i](inter)
        return cnv, ups


class _CornerHeads(nn.Module):
    def _add_corner_heads(self, nstack, cnv_dim, num_classes, pool_dim, k):
        self.tl_modules = nn.ModuleList([CornerPool(cnv_dim, TopPool, LeftPool, pool_dim) for _ in range(nstack)])
        self.br_modules = nn.ModuleList([CornerPool(cnv_dim, BottomPool, RightPool, pool_dim)
                                         for _ in range(nstack)])
        for name, c in HEADS:
            ml = nn.ModuleList([pred_mod(cnv_dim, num_classes if c == "heat" else c, k) for _ in range(nstack)])
            if c == "heat":
                for m in ml:
                    nn.init.constant_(m[-1].bias, -2.19)
            setattr(self, name, ml)

    def _corners(self, cnv):
        tl = self.tl_modules[-1](cnv)
        br = self.br_modules[-1](cnv)
        return {"tl_heat": self.tl_heats[-1](tl), "br_heat": self.br_heats[-1](br),
                "tl_tag": self.tl_tags[-1](tl), "br_tag": self.br_tags[-1](br),
                "tl_regr": self.tl_offs[-1](tl), "br_regr": self.br_offs[-1](br)}


class SaccadeNet(_CornerHeads):
    """CornerNet-Saccade; outputs the corner heads and `att0`, `att1`, `att2` (logits, strides 16, 8, 4)."""

    def __init__(self, num_classes=80, nstack=3, dims=(256, 384, 384, 512), modules=(1, 1, 1, 1), pre_dim=128,
                 cnv_dim=256, pool_dim=128):
        super().__init__()
        dims, cur = list(dims), dims[0]
        pre = nn.Sequential(convolution(7, 3, pre_dim, stride=2), residual(pre_dim, cur, stride=2))
        hgs = nn.ModuleList([SaccadeModule(len(dims) - 1, dims, list(modules)) for _ in range(nstack)])
        self.hg = Stacks(pre, hgs, cnv_dim, cur)
        att_in = [dims[2], dims[1], dims[0]]  # the merges, innermost first
        self.att_modules = nn.ModuleList([
            nn.ModuleList([pred_mod_in(c, cnv_dim) for c in att_in]) for _ in range(nstack)])
        for mods in self.att_modules:
            for att in mods:
                nn.init.constant_(att[-1].bias, -2.19)
        self._add_corner_heads(nstack, cnv_dim, num_classes, pool_dim, 3)

    def forward(self, x):
        cnv, ups = self.hg(x)
        out = self._corners(cnv)
        for j, (att, up) in enumerate(zip(self.att_modules[-1], ups)):
            out["att%d" % j] = att(up)
        return out


def pred_mod_in(cin, hidden):
    """An attention head: 3x3 convolution + ReLU from `cin` channels to `hidden`, 1x1 to one channel."""
    return nn.Sequential(convolution(3, cin, hidden, with_bn=False), nn.Conv2d(hidden, 1, 1))


class fire_module(nn.Module):
    """SqueezeNet's fire module as CornerNet-Squeeze has it: 1x1 squeeze + BN (no ReLU), then a 1x1 and a
    depthwise 3x3 expansion concatenated, BN, the identity added when shapes allow, ReLU."""

    def __init__(self, cin, cout, sr=2, stride=1):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout // sr, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout // sr)
        self.conv_1x1 = nn.Conv2d(cout // sr, cout // 2, 1, stride=stride, bias=False)
        self.conv_3x3 = nn.Conv2d(cout // sr, cout // 2, 3, padding=1, stride=stride, groups=cout // sr, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.skip = stride == 1 and cin == cout
        self.relu = nn.ReLU(inplace=True)

    def forward(self, x):
        b1 = self.bn1(self.conv1(x))
        b2 = self.bn2(torch.cat((self.conv_1x1(b1), self.conv_3x3(b1)), 1))
        return self.relu(b2 + x) if self.skip else self.relu(b2)


class FireHourglass(nn.Module):
    """`hg_module` with fire layers, identity pooling (the first fire module of `low1` has stride 2) and a 4x4
    stride-2 transposed convolution as up-sampling."""

    def __init__(self, n, dims, modules):
        super().__init__()
        cur, nxt, cm, nm = dims[0], dims[1], modules[0], modules[1]
        self.n = n
        self.up1 = nn.Sequential(*[fire_module(cur, cur) for _ in range(cm)])
        self.max1 = nn.Sequential()
        self.low1 = nn.Sequential(fire_module(cur, nxt, stride=2), *[fire_module(nxt, nxt) for _ in range(cm - 1)])
        self.low2 = FireHourglass(n - 1, dims[1:], modules[1:]) if n > 1 else \
            nn.Sequential(fire_module(nxt, nxt), *[fire_module(nxt, nxt) for _ in range(nm - 1)])
        self.low3 = nn.Sequential(*[fire_module(nxt, nxt) for _ in range(cm - 1)], fire_module(nxt, cur))
        self.up2 = nn.ConvTranspose2d(cur, cur, kernel_size=4, stride=2, padding=1)
        self.merg = Add()

    def forward(self, x):
        return self.merg(self.up1(x), self.up2(self.low3(self.low2(self.low1(self.max1(x))))))


class SqueezeNet(_CornerHeads):
    """CornerNet-Squeeze; outputs the corner heads (output stride 8)."""

    def __init__(self, num_classes=80, nstack=2, dims=(256, 256, 384, 384, 512), modules=(2, 2, 2, 2, 4),
                 pre_dim=128, cnv_dim=256, pool_dim=128):
        super().__init__()
        dims, cur = list(dims), dims[0]
        pre = nn.Sequential(convolution(7, 3, pre_dim, stride=2), residual(pre_dim, cur, stride=2),
                            residual(cur, cur, stride=2))
        hgs = nn.ModuleList([FireHourglass(len(dims) - 1, dims, list(modules)) for _ in range(nstack)])
        self.hg = Stacks(pre, hgs, cnv_dim, cur)
        self._add_corner_heads(nstack, cnv_dim, num_classes, pool_dim, 1)

    def forward(self, x):
        return self._corners(self.hg(x)[0])
