"""Hourglass-104 in the three parameter layouts found in published checkpoints:

* `CenterNetHourglass`  - xingyizhou/CenterNet `large_hourglass.exkp` (ctdet, multi_pose, exdet heads:
  `hm`, `wh`, `reg`, `hm_t`, ...; also the layout of ExtremeNet's own `exkp` after renaming, see checkpoint.py)
* `CornerNetHourglass`  - princeton-vl/CornerNet-Lite `CornerNet` (`hg.hgs`, `tl_modules`, `tl_heats`, ...)
* `TripletsHourglass`   - Duankaiwen/CenterNet `CenterNet-104` (`kps`, `tl_cnvs` cascade corner pools,
  `ct_cnvs` center pool, `tl_heats`, ... `ct_regrs`)

Only the last stack's heads run at inference; the other stacks' heads exist so checkpoints load strictly.
"""
import torch.nn as nn

from .ops import BottomPool, LeftPool, RightPool, TopPool


class convolution(nn.Module):
    def __init__(self, k, cin, cout, stride=1, with_bn=True):
        super().__init__()
        p = (k - 1) // 2
        self.conv = nn.Conv2d(cin, cout, k, padding=p, stride=stride, bias=not with_bn)
        self.bn = nn.BatchNorm2d(cout) if with_bn else nn.Sequential()
        self.relu = nn.ReLU(inplace=True)

    def forward(self, x):
        return self.relu(self.bn(self.conv(x)))


class residual(nn.Module):
    def __init__(self, cin, cout, stride=1):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, padding=1, stride=stride, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.relu1 = nn.ReLU(inplace=True)
        self.conv2 = nn.Conv2d(cout, cout, 3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.skip = nn.Sequential(nn.Conv2d(cin, cout, 1, stride=stride, bias=False), nn.BatchNorm2d(cout)) \
            if stride != 1 or cin != cout else nn.Sequential()
        self.relu = nn.ReLU(inplace=True)

    def forward(self, x):
        y = self.relu1(self.bn1(self.conv1(x)))
        return self.relu(self.bn2(self.conv2(y)) + self.skip(x))


class Upsample2(nn.Module):
    def forward(self, x):
        return nn.functional.interpolate(x, scale_factor=2.0, mode="nearest")


class HourglassModule(nn.Module):
    """One hourglass (`kp_module` / `hg_module`): up1, max1 (identity: stride-2 residual downsamples), low1,
    low2 (recursive), low3, up2 (nearest x2), merge (add)."""

    def __init__(self, n, dims, modules):
        super().__init__()
        cur, nxt = dims[0], dims[1]
        cm, nm = modules[0], modules[1]
        self.n = n
        self.up1 = nn.Sequential(*[residual(cur, cur) for _ in range(cm)])
        self.max1 = nn.Sequential()
        self.low1 = nn.Sequential(residual(cur, nxt, stride=2), *[residual(nxt, nxt) for _ in range(cm - 1)])
        self.low2 = HourglassModule(n - 1, dims[1:], modules[1:]) if n > 1 else \
            nn.Sequential(*[residual(nxt, nxt) for _ in range(nm)])
        self.low3 = nn.Sequential(*[residual(nxt, nxt) for _ in range(cm - 1)], residual(nxt, cur))
        self.up2 = Upsample2()

    def forward(self, x):
        return self.up1(x) + self.up2(self.low3(self.low2(self.low1(self.max1(x)))))


def merge_mod(cin, cout):
    return nn.Sequential(nn.Conv2d(cin, cout, 1, bias=False), nn.BatchNorm2d(cout))


def kp_layer(cnv_dim, cur_dim, out_dim):
    return nn.Sequential(convolution(3, cnv_dim, cur_dim, with_bn=False), nn.Conv2d(cur_dim, out_dim, 1))


class Trunk(nn.Module):
    """pre + stacked hourglasses with intermediate supervision merges. `hg_name` is `kps` or `hgs`."""

    def __init__(self, n, nstack, dims, modules, pre_dim, cnv_dim, hg_name):
        super().__init__()
        cur = dims[0]
        self.nstack = nstack
        self.hg_name = hg_name
        self.pre = nn.Sequential(convolution(7, 3, pre_dim, stride=2), residual(pre_dim, cur, stride=2))
        setattr(self, hg_name, nn.ModuleList([HourglassModule(n, dims, modules) for _ in range(nstack)]))
        self.cnvs = nn.ModuleList([convolution(3, cur, cnv_dim) for _ in range(nstack)])

    def add_merges(self, cur, cnv_dim, order):
        for name in order:
            if name == "inters":
                self.inters = nn.ModuleList([residual(cur, cur) for _ in range(self.nstack - 1)])
            elif name == "inters_":
                self.inters_ = nn.ModuleList([merge_mod(cur, cur) for _ in range(self.nstack - 1)])
            elif name == "cnvs_":
                self.cnvs_ = nn.ModuleList([merge_mod(cnv_dim, cur) for _ in range(self.nstack - 1)])

    def run(self, x):
        inter = self.pre(x)
        hgs = getattr(self, self.hg_name)
        cnv = None
        for i in range(self.nstack):
            cnv = self.cnvs[i](hgs[i](inter))
            if i < self.nstack - 1:
                inter = nn.functional.relu(self.inters_[i](inter) + self.cnvs_[i](cnv))
                inter = self.inters[i](inter)
        return cnv


class CenterNetHourglass(Trunk):
    def __init__(self, heads, n=5, nstack=2, dims=(256, 256, 384, 384, 384, 512), modules=(2, 2, 2, 2, 2, 4),
                 pre_dim=128, cnv_dim=256):
        super().__init__(n, nstack, list(dims), list(modules), pre_dim, cnv_dim, "kps")
        cur = dims[0]
        self.add_merges(cur, cnv_dim, ["inters", "inters_", "cnvs_"])
        self.heads = dict(heads)
        for head, c in self.heads.items():
            ml = nn.ModuleList([kp_layer(cnv_dim, cur, c) for _ in range(nstack)])
            if "hm" in head:
                for m in ml:
                    m[-1].bias.data.fill_(-2.19)
            setattr(self, head, ml)
        self.relu = nn.ReLU(inplace=True)

    def forward(self, x):
        cnv = self.run(x)
        return {h: getattr(self, h)[-1](cnv) for h in self.heads}


class CornerPool(nn.Module):
    """CornerNet corner pooling module (`corner_pool` / `pool`): two 3x3 branches, directional max-scans,
    sum, 3x3 conv + BN, plus a 1x1 skip, ReLU, 3x3 conv. With `look=True` it is CenterNet-Triplets'
    cascade corner pooling (`look_conv1/2`, `P1_look_conv`, `P2_look_conv`)."""

    def __init__(self, dim, pool1, pool2, pool_dim=128, look=False):
        super().__init__()
        self.p1_conv1 = convolution(3, dim, pool_dim)
        self.p2_conv1 = convolution(3, dim, pool_dim)
        self.p_conv1 = nn.Conv2d(pool_dim, dim, 3, padding=1, bias=False)
        self.p_bn1 = nn.BatchNorm2d(dim)
        self.conv1 = nn.Conv2d(dim, dim, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(dim)
        self.relu1 = nn.ReLU(inplace=True)
        self.conv2 = convolution(3, dim, dim)
        self.pool1 = pool1()
        self.pool2 = pool2()
        self.look = look
        if look:
            self.look_conv1 = convolution(3, dim, pool_dim)
            self.look_conv2 = convolution(3, dim, pool_dim)
            self.P1_look_conv = nn.Conv2d(pool_dim, pool_dim, 3, padding=1, bias=False)
            self.P2_look_conv = nn.Conv2d(pool_dim, pool_dim, 3, padding=1, bias=False)

    def forward(self, x):
        if self.look:
            pool1 = self.pool1(self.P1_look_conv(self.p1_conv1(x) + self.pool2(self.look_conv1(x))))
            pool2 = self.pool2(self.P2_look_conv(self.p2_conv1(x) + self.pool1(self.look_conv2(x))))
        else:
            pool1 = self.pool1(self.p1_conv1(x))
            pool2 = self.pool2(self.p2_conv1(x))
        p = self.p_bn1(self.p_conv1(pool1 + pool2))
        y = self.relu1(p + self.bn1(self.conv1(x)))
        return self.conv2(y)


class CenterPool(nn.Module):
    """CenterNet-Triplets `pool_cross`: (top then bottom) + (left then right) scans = full column/row max."""

    def __init__(self, dim, pool_dim=128):
        super().__init__()
        self.p1_conv1 = convolution(3, dim, pool_dim)
        self.p2_conv1 = convolution(3, dim, pool_dim)
        self.p_conv1 = nn.Conv2d(pool_dim, dim, 3, padding=1, bias=False)
        self.p_bn1 = nn.BatchNorm2d(dim)
        self.conv1 = nn.Conv2d(dim, dim, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(dim)
        self.relu1 = nn.ReLU(inplace=True)
        self.conv2 = convolution(3, dim, dim)
        self.pool1, self.pool2, self.pool3, self.pool4 = TopPool(), LeftPool(), BottomPool(), RightPool()

    def forward(self, x):
        pool1 = self.pool3(self.pool1(self.p1_conv1(x)))
        pool2 = self.pool4(self.pool2(self.p2_conv1(x)))
        p = self.p_bn1(self.p_conv1(pool1 + pool2))
        return self.conv2(self.relu1(p + self.bn1(self.conv1(x))))


class CornerNetHourglass(nn.Module):
    def __init__(self, num_classes=80, n=5, nstack=2, dims=(256, 256, 384, 384, 384, 512),
                 modules=(2, 2, 2, 2, 2, 4), pre_dim=128, cnv_dim=256, pool_dim=128):
        super().__init__()
        cur = dims[0]
        self.hg = Trunk(n, nstack, list(dims), list(modules), pre_dim, cnv_dim, "hgs")
        self.hg.add_merges(cur, cnv_dim, ["inters", "inters_", "cnvs_"])
        self.tl_modules = nn.ModuleList([CornerPool(cnv_dim, TopPool, LeftPool, pool_dim) for _ in range(nstack)])
        self.br_modules = nn.ModuleList([CornerPool(cnv_dim, BottomPool, RightPool, pool_dim)
                                         for _ in range(nstack)])
        for name, c in [("tl_heats", num_classes), ("br_heats", num_classes), ("tl_tags", 1), ("br_tags", 1),
                        ("tl_offs", 2), ("br_offs", 2)]:
            ml = nn.ModuleList([kp_layer(cnv_dim, cur, c) for _ in range(nstack)])
            if "heat" in name:
                for m in ml:
                    m[-1].bias.data.fill_(-2.19)
            setattr(self, name, ml)

    def forward(self, x):
        cnv = self.hg.run(x)
        tl = self.tl_modules[-1](cnv)
        br = self.br_modules[-1](cnv)
        return {"tl_heat": self.tl_heats[-1](tl), "br_heat": self.br_heats[-1](br),
                "tl_tag": self.tl_tags[-1](tl), "br_tag": self.br_tags[-1](br),
                "tl_regr": self.tl_offs[-1](tl), "br_regr": self.br_offs[-1](br)}


class TripletsHourglass(Trunk):
    def __init__(self, num_classes=80, n=5, nstack=2, dims=(256, 256, 384, 384, 384, 512),
                 modules=(2, 2, 2, 2, 2, 4), pre_dim=128, cnv_dim=256, pool_dim=128):
        super().__init__(n, nstack, list(dims), list(modules), pre_dim, cnv_dim, "kps")
        cur = dims[0]
        self.tl_cnvs = nn.ModuleList([CornerPool(cnv_dim, TopPool, LeftPool, pool_dim, look=True)
                                      for _ in range(nstack)])
        self.br_cnvs = nn.ModuleList([CornerPool(cnv_dim, BottomPool, RightPool, pool_dim, look=True)
                                      for _ in range(nstack)])
        self.ct_cnvs = nn.ModuleList([CenterPool(cnv_dim, pool_dim) for _ in range(nstack)])
        for name, c in [("tl_heats", num_classes), ("br_heats", num_classes), ("ct_heats", num_classes),
                        ("tl_tags", 1), ("br_tags", 1)]:
            ml = nn.ModuleList([kp_layer(cnv_dim, cur, c) for _ in range(nstack)])
            if "heat" in name:
                for m in ml:
                    m[-1].bias.data.fill_(-2.19)
            setattr(self, name, ml)
        self.add_merges(cur, cnv_dim, ["inters", "inters_", "cnvs_"])
        for name in ("tl_regrs", "br_regrs", "ct_regrs"):
            setattr(self, name, nn.ModuleList([kp_layer(cnv_dim, cur, 2) for _ in range(nstack)]))
        self.relu = nn.ReLU(inplace=True)

    def forward(self, x):
        cnv = self.run(x)
        tl, br, ct = self.tl_cnvs[-1](cnv), self.br_cnvs[-1](cnv), self.ct_cnvs[-1](cnv)
        return {"tl_heat": self.tl_heats[-1](tl), "br_heat": self.br_heats[-1](br),
                "tl_tag": self.tl_tags[-1](tl), "br_tag": self.br_tags[-1](br),
                "tl_regr": self.tl_regrs[-1](tl), "br_regr": self.br_regrs[-1](br),
                "ct_heat": self.ct_heats[-1](ct), "ct_regr": self.ct_regrs[-1](ct)}
