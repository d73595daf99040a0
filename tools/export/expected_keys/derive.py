#!/usr/bin/env python3
"""Independent derivation of the state_dict keys + shapes of the upstream networks, written from a reading
of the upstream constructors (xingyizhou/CenterNet pose_dla_dcn.py, msra_resnet.py, resnet_dcn.py,
large_hourglass.py, opts.py; Wastoon/CenterNet-Multi-Func-Det large_hourglass.py and opts.py for gridneighbordet,
whose exkp builds every head as CenterNet's does; princeton-vl/CornerNet-Lite CornerNet.py + py_utils; Duankaiwen/CenterNet
CenterNet-104.py + kp.py) with plain Python - no torch modules - so that it cross-checks
keydet_export's nn.Module definitions (tests/test_keys.py). `python3 derive.py` rewrites the *.txt files.

Conventions: BatchNorm has weight, bias, running_mean, running_var, num_batches_tracked (PyTorch >= 0.4.1;
checkpoints from 0.4.0 lack num_batches_tracked and still load). DLA carries `base.fc` (1000 x 512) because
upstream builds the base with pretrained=True, which attaches the ImageNet classifier.
"""
import os

HEADS = {
    "ctdet": [("hm", 80), ("wh", 2), ("reg", 2)],
    "multi_pose": [("hm", 1), ("wh", 2), ("hps", 34), ("reg", 2), ("hm_hp", 17), ("hp_offset", 2)],
    "ddd": [("hm", 3), ("dep", 1), ("rot", 8), ("dim", 3), ("wh", 2), ("reg", 2)],
    # Wastoon opts.py: hm C * P, wh and reg 2P for the default --point_flags '0, 4, 8' (P = 3), COCO's 80 classes
    "gridneighbordet": [("hm", 240), ("wh", 6), ("reg", 6)],
    "exdet": [("hm_t", 80), ("hm_l", 80), ("hm_b", 80), ("hm_r", 80), ("hm_c", 80),
              ("reg_t", 2), ("reg_l", 2), ("reg_b", 2), ("reg_r", 2)],
}


class K:
    def __init__(self):
        self.rows = []

    def add(self, name, *shape):
        self.rows.append((name, tuple(shape)))

    def conv(self, p, cout, cin, k, bias=False):
        self.add(p + ".weight", cout, cin, k, k)
        if bias:
            self.add(p + ".bias", cout)

    def bn(self, p, c):
        for s in ("weight", "bias", "running_mean", "running_var"):
            self.add(p + "." + s, c)
        self.add(p + ".num_batches_tracked")

    def dcn(self, p, cin, cout):  # DCNv2 `DCN`
        self.add(p + ".weight", cout, cin, 3, 3)
        self.add(p + ".bias", cout)
        self.conv(p + ".conv_offset_mask", 27, cin, 3, bias=True)


# ---------------------------------------------------------------- DLA-34 (pose_dla_dcn.DLASeg)
def dla_tree(k, p, levels, cin, cout, stride, level_root, root_dim):
    if root_dim == 0:
        root_dim = 2 * cout
    if level_root:
        root_dim += cin
    if levels == 1:
        for name, a, b in (("tree1", cin, cout), ("tree2", cout, cout)):
            k.conv(p + "." + name + ".conv1", b, a, 3)
            k.bn(p + "." + name + ".bn1", b)
            k.conv(p + "." + name + ".conv2", b, b, 3)
            k.bn(p + "." + name + ".bn2", b)
        k.conv(p + ".root.conv", cout, root_dim, 1)
        k.bn(p + ".root.bn", cout)
    else:
        dla_tree(k, p + ".tree1", levels - 1, cin, cout, stride, False, 0)
        dla_tree(k, p + ".tree2", levels - 1, cout, cout, 1, False, root_dim + cout)
    if cin != cout:
        k.conv(p + ".project.0", cout, cin, 1)
        k.bn(p + ".project.1", cout)


def ida_up(k, p, o, channels, up_f):
    for i in range(1, len(channels)):
        k.bn(p + ".proj_%d.actf.0" % i, o)
        k.dcn(p + ".proj_%d.conv" % i, channels[i], o)
        f = up_f[i]
        k.add(p + ".up_%d.weight" % i, o, 1, 2 * f, 2 * f)
        k.bn(p + ".node_%d.actf.0" % i, o)
        k.dcn(p + ".node_%d.conv" % i, o, o)


def dla34(task, head_conv=256):
    k = K()
    ch, lv = [16, 32, 64, 128, 256, 512], [1, 1, 1, 2, 2, 1]
    k.conv("base.base_layer.0", ch[0], 3, 7)
    k.bn("base.base_layer.1", ch[0])
    k.conv("base.level0.0", ch[0], ch[0], 3)
    k.bn("base.level0.1", ch[0])
    k.conv("base.level1.0", ch[1], ch[0], 3)
    k.bn("base.level1.1", ch[1])
    dla_tree(k, "base.level2", lv[2], ch[1], ch[2], 2, False, 0)
    dla_tree(k, "base.level3", lv[3], ch[2], ch[3], 2, True, 0)
    dla_tree(k, "base.level4", lv[4], ch[3], ch[4], 2, True, 0)
    dla_tree(k, "base.level5", lv[5], ch[4], ch[5], 2, True, 0)
    k.conv("base.fc", 1000, 512, 1, bias=True)
    # DLAUp(startp=2, channels=[64,128,256,512], scales=[1,2,4,8]) unrolled by hand:
    ida_up(k, "dla_up.ida_0", 256, [256, 512], [1, 2])
    ida_up(k, "dla_up.ida_1", 128, [128, 256, 256], [1, 2, 2])
    ida_up(k, "dla_up.ida_2", 64, [64, 128, 128, 128], [1, 2, 2, 2])
    ida_up(k, "ida_up", 64, [64, 128, 256], [1, 2, 4])
    for h, c in HEADS[task]:
        k.conv(h + ".0", head_conv, 64, 3, bias=True)
        k.conv(h + ".2", c, head_conv, 1, bias=True)
    return k.rows


# ---------------------------------------------------------------- ResNet (msra_resnet / resnet_dcn)
def resnet(task, depth, dcn, head_conv=64):
    k = K()
    k.conv("conv1", 64, 3, 7)
    k.bn("bn1", 64)
    inpl = 64
    bottleneck = depth == 101
    blocks = [3, 4, 23, 3] if bottleneck else [2, 2, 2, 2]
    exp = 4 if bottleneck else 1
    for li, (planes, n) in enumerate(zip([64, 128, 256, 512], blocks)):
        stride = 1 if li == 0 else 2
        for b in range(n):
            p = "layer%d.%d" % (li + 1, b)
            if bottleneck:
                k.conv(p + ".conv1", planes, inpl, 1)
                k.bn(p + ".bn1", planes)
                k.conv(p + ".conv2", planes, planes, 3)
                k.bn(p + ".bn2", planes)
                k.conv(p + ".conv3", planes * 4, planes, 1)
                k.bn(p + ".bn3", planes * 4)
            else:
                k.conv(p + ".conv1", planes, inpl, 3)
                k.bn(p + ".bn1", planes)
                k.conv(p + ".conv2", planes, planes, 3)
                k.bn(p + ".bn2", planes)
            if b == 0 and (stride != 1 or inpl != planes * exp):
                k.conv(p + ".downsample.0", planes * exp, inpl, 1)
                k.bn(p + ".downsample.1", planes * exp)
            inpl = planes * exp
    if dcn:
        for i, planes in enumerate([256, 128, 64]):
            k.dcn("deconv_layers.%d" % (6 * i), inpl, planes)
            k.bn("deconv_layers.%d" % (6 * i + 1), planes)
            k.add("deconv_layers.%d.weight" % (6 * i + 3), planes, planes, 4, 4)
            k.bn("deconv_layers.%d" % (6 * i + 4), planes)
            inpl = planes
    else:
        for i in range(3):
            k.add("deconv_layers.%d.weight" % (3 * i), inpl, 256, 4, 4)  # ConvTranspose2d: [in, out, k, k]
            k.bn("deconv_layers.%d" % (3 * i + 1), 256)
            inpl = 256
    for h, c in HEADS[task]:
        k.conv(h + ".0", head_conv, inpl, 3, bias=True)
        k.conv(h + ".2", c, head_conv, 1, bias=True)
    return k.rows


# ---------------------------------------------------------------- Hourglass-104
def residual(k, p, cin, cout, stride=1):
    k.conv(p + ".conv1", cout, cin, 3)
    k.bn(p + ".bn1", cout)
    k.conv(p + ".conv2", cout, cout, 3)
    k.bn(p + ".bn2", cout)
    if stride != 1 or cin != cout:
        k.conv(p + ".skip.0", cout, cin, 1)
        k.bn(p + ".skip.1", cout)


def convolution(k, p, cin, cout, kk, with_bn=True):
    k.conv(p + ".conv", cout, cin, kk, bias=not with_bn)
    if with_bn:
        k.bn(p + ".bn", cout)


def hg_module(k, p, n, dims, mods):
    cur, nxt, cm, nm = dims[0], dims[1], mods[0], mods[1]
    for i in range(cm):
        residual(k, p + ".up1.%d" % i, cur, cur)
    residual(k, p + ".low1.0", cur, nxt, 2)
    for i in range(1, cm):
        residual(k, p + ".low1.%d" % i, nxt, nxt)
    if n > 1:
        hg_module(k, p + ".low2", n - 1, dims[1:], mods[1:])
    else:
        for i in range(nm):
            residual(k, p + ".low2.%d" % i, nxt, nxt)
    for i in range(cm - 1):
        residual(k, p + ".low3.%d" % i, nxt, nxt)
    residual(k, p + ".low3.%d" % (cm - 1), nxt, cur)


def trunk(k, p, hgname):
    dims, mods = [256, 256, 384, 384, 384, 512], [2, 2, 2, 2, 2, 4]
    convolution(k, p + "pre.0", 3, 128, 7)
    residual(k, p + "pre.1", 128, 256, 2)
    for s in range(2):
        hg_module(k, p + "%s.%d" % (hgname, s), 5, dims, mods)
        convolution(k, p + "cnvs.%d" % s, 256, 256, 3)
    residual(k, p + "inters.0", 256, 256)
    for n in ("inters_", "cnvs_"):
        k.conv(p + n + ".0.0", 256, 256, 1)
        k.bn(p + n + ".0.1", 256)


def kp_head(k, p, out):
    for s in range(2):
        convolution(k, p + ".%d.0" % s, 256, 256, 3, with_bn=False)
        k.conv(p + ".%d.1" % s, out, 256, 1, bias=True)


def corner_pool(k, p, look=False, cross=False):
    convolution(k, p + ".p1_conv1", 256, 128, 3)
    convolution(k, p + ".p2_conv1", 256, 128, 3)
    k.conv(p + ".p_conv1", 256, 128, 3)
    k.bn(p + ".p_bn1", 256)
    k.conv(p + ".conv1", 256, 256, 1)
    k.bn(p + ".bn1", 256)
    convolution(k, p + ".conv2", 256, 256, 3)
    if look:
        convolution(k, p + ".look_conv1", 256, 128, 3)
        convolution(k, p + ".look_conv2", 256, 128, 3)
        k.conv(p + ".P1_look_conv", 128, 128, 3)
        k.conv(p + ".P2_look_conv", 128, 128, 3)


def hourglass(task):
    k = K()
    if task in HEADS:
        trunk(k, "", "kps")
        for h, c in HEADS[task]:
            kp_head(k, h, c)
    elif task == "cornernet":
        trunk(k, "hg.", "hgs")
        for s in range(2):
            corner_pool(k, "tl_modules.%d" % s)
            corner_pool(k, "br_modules.%d" % s)
        for h, c in (("tl_heats", 80), ("br_heats", 80), ("tl_tags", 1), ("br_tags", 1), ("tl_offs", 2),
                     ("br_offs", 2)):
            kp_head(k, h, c)
    elif task == "triplets":
        trunk(k, "", "kps")
        for s in range(2):
            corner_pool(k, "tl_cnvs.%d" % s, look=True)
            corner_pool(k, "br_cnvs.%d" % s, look=True)
            corner_pool(k, "ct_cnvs.%d" % s)
        for h, c in (("tl_heats", 80), ("br_heats", 80), ("ct_heats", 80), ("tl_tags", 1), ("br_tags", 1),
                     ("tl_regrs", 2), ("br_regrs", 2), ("ct_regrs", 2)):
            kp_head(k, h, c)
    return k.rows


def expected(arch, task):
    if arch == "dla34":
        return dla34(task)
    if arch == "res18":
        return resnet(task, 18, False)
    if arch == "resdcn18":
        return resnet(task, 18, True)
    if arch == "resdcn101":
        return resnet(task, 101, True)
    return hourglass(task)


PAIRS = [("dla34", "ctdet"), ("res18", "ctdet"), ("resdcn18", "ctdet"), ("resdcn101", "ctdet"),
         ("hourglass104", "ctdet"), ("dla34", "multi_pose"), ("hourglass104", "multi_pose"),
         ("resdcn18", "multi_pose"), ("res18", "multi_pose"), ("dla34", "ddd"), ("resdcn18", "ddd"),
         ("hourglass104", "exdet"), ("hourglass104", "cornernet"), ("hourglass104", "triplets"),
         ("dla34", "exdet"), ("hourglass104", "gridneighbordet")]


def fmt(rows):
    return "".join("%s %s\n" % (n, "x".join(map(str, s)) if s else "scalar") for n, s in sorted(rows))


if __name__ == "__main__":
    here = os.path.dirname(os.path.abspath(__file__))
    for a, t in PAIRS:
        with open(os.path.join(here, "%s_%s.txt" % (a, t)), "w") as f:
            f.write(fmt(expected(a, t)))
    print("wrote %d files" % len(PAIRS))
