"""DLA-34 backbone + DLA-up / IDA-up neck with DCNv2 (CenterNet `pose_dla_dcn`), parameter names as upstream."""
import math

import torch
import torch.nn as nn

from .ops import DCN

BN_MOMENTUM = 0.1


def bn(c):
    return nn.BatchNorm2d(c, momentum=BN_MOMENTUM)


class BasicBlock(nn.Module):
    def __init__(self, cin, cout, stride=1, dilation=1):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride=stride, padding=dilation, dilation=dilation, bias=False)
        self.bn1 = bn(cout)
        self.relu = nn.ReLU(inplace=True)
        self.conv2 = nn.Conv2d(cout, cout, 3, stride=1, padding=dilation, dilation=dilation, bias=False)
        self.bn2 = bn(cout)

    def forward(self, x, residual=None):
        if residual is None:
            residual = x
        y = self.relu(self.bn1(self.conv1(x)))
        y = self.bn2(self.conv2(y))
        return self.relu(y + residual)


class Root(nn.Module):
    def __init__(self, cin, cout, kernel_size, residual):
        super().__init__()
        self.conv = nn.Conv2d(cin, cout, 1, stride=1, bias=False, padding=(kernel_size - 1) // 2)
        self.bn = bn(cout)
        self.relu = nn.ReLU(inplace=True)
        self.residual = residual

    def forward(self, *xs):
        y = self.bn(self.conv(torch.cat(xs, 1)))
        if self.residual:
            y = y + xs[0]
        return self.relu(y)


class Tree(nn.Module):
    def __init__(self, levels, block, cin, cout, stride=1, level_root=False, root_dim=0,
                 root_kernel_size=1, dilation=1, root_residual=False):
        super().__init__()
        if root_dim == 0:
            root_dim = 2 * cout
        if level_root:
            root_dim += cin
        if levels == 1:
            self.tree1 = block(cin, cout, stride, dilation=dilation)
            self.tree2 = block(cout, cout, 1, dilation=dilation)
        else:
            self.tree1 = Tree(levels - 1, block, cin, cout, stride, root_dim=0,
                              root_kernel_size=root_kernel_size, dilation=dilation, root_residual=root_residual)
            self.tree2 = Tree(levels - 1, block, cout, cout, root_dim=root_dim + cout,
                              root_kernel_size=root_kernel_size, dilation=dilation, root_residual=root_residual)
        if levels == 1:
            self.root = Root(root_dim, cout, root_kernel_size, root_residual)
        self.level_root = level_root
        self.levels = levels
        self.downsample = nn.MaxPool2d(stride, stride=stride) if stride > 1 else None
        self.project = nn.Sequential(nn.Conv2d(cin, cout, 1, stride=1, bias=False), bn(cout)) \
            if cin != cout else None

    def forward(self, x, residual=None, children=None):
        children = [] if children is None else children
        bottom = self.downsample(x) if self.downsample is not None else x
        residual = self.project(bottom) if self.project is not None else bottom
        if self.level_root:
            children.append(bottom)
        x1 = self.tree1(x, residual)
        if self.levels == 1:
            x2 = self.tree2(x1)
            return self.root(x2, x1, *children)
        children.append(x1)
        return self.tree2(x1, children=children)


class DLA(nn.Module):
    def __init__(self, levels, channels, block=BasicBlock, fc_classes=1000):
        super().__init__()
        self.channels = channels
        self.base_layer = nn.Sequential(nn.Conv2d(3, channels[0], 7, stride=1, padding=3, bias=False),
                                        bn(channels[0]), nn.ReLU(inplace=True))
        self.level0 = self._conv_level(channels[0], channels[0], levels[0])
        self.level1 = self._conv_level(channels[0], channels[1], levels[1], stride=2)
        self.level2 = Tree(levels[2], block, channels[1], channels[2], 2, level_root=False)
        self.level3 = Tree(levels[3], block, channels[2], channels[3], 2, level_root=True)
        self.level4 = Tree(levels[4], block, channels[3], channels[4], 2, level_root=True)
        self.level5 = Tree(levels[5], block, channels[4], channels[5], 2, level_root=True)
        # upstream adds the ImageNet classifier when it loads the pretrained base; checkpoints carry it
        if fc_classes:
            self.fc = nn.Conv2d(channels[-1], fc_classes, 1, stride=1, padding=0, bias=True)

    @staticmethod
    def _conv_level(cin, cout, convs, stride=1, dilation=1):
        mods = []
        for i in range(convs):
            mods += [nn.Conv2d(cin, cout, 3, stride=stride if i == 0 else 1, padding=dilation, bias=False,
                               dilation=dilation), bn(cout), nn.ReLU(inplace=True)]
            cin = cout
        return nn.Sequential(*mods)

    def forward(self, x):
        ys = []
        x = self.base_layer(x)
        for i in range(6):
            x = getattr(self, "level%d" % i)(x)
            ys.append(x)
        return ys


def fill_up_weights(up):
    """Bilinear-interpolation kernel for the depthwise up-convolution (upstream init)."""
    w = up.weight.data
    f = math.ceil(w.size(2) / 2)
    c = (2 * f - 1 - f % 2) / (2.0 * f)
    for i in range(w.size(2)):
        for j in range(w.size(3)):
            w[0, 0, i, j] = (1 - math.fabs(i / f - c)) * (1 - math.fabs(j / f - c))
    for ch in range(1, w.size(0)):
        w[ch, 0] = w[0, 0]


class DeformConv(nn.Module):
    """DCN followed by BN + ReLU; names `actf.0` (BN) and `conv` (DCN) as upstream."""

    def __init__(self, cin, cout):
        super().__init__()
        self.actf = nn.Sequential(bn(cout), nn.ReLU(inplace=True))
        self.conv = DCN(cin, cout, 3, stride=1, padding=1, dilation=1)

    def forward(self, x):
        return self.actf(self.conv(x))


class IDAUp(nn.Module):
    def __init__(self, o, channels, up_f):
        super().__init__()
        for i in range(1, len(channels)):
            f = int(up_f[i])
            proj = DeformConv(channels[i], o)
            node = DeformConv(o, o)
            up = nn.ConvTranspose2d(o, o, f * 2, stride=f, padding=f // 2, output_padding=0, groups=o, bias=False)
            fill_up_weights(up)
            setattr(self, "proj_%d" % i, proj)
            setattr(self, "up_%d" % i, up)
            setattr(self, "node_%d" % i, node)

    def forward(self, layers, startp, endp):
        for i in range(startp + 1, endp):
            k = i - startp
            layers[i] = getattr(self, "up_%d" % k)(getattr(self, "proj_%d" % k)(layers[i]))
            layers[i] = getattr(self, "node_%d" % k)(layers[i] + layers[i - 1])


class DLAUp(nn.Module):
    def __init__(self, startp, channels, scales):
        super().__init__()
        self.startp = startp
        in_channels = list(channels)
        channels = list(channels)
        scales = list(scales)
        for i in range(len(channels) - 1):
            j = -i - 2
            base = scales[j]
            setattr(self, "ida_%d" % i, IDAUp(channels[j], in_channels[j:], [s // base for s in scales[j:]]))
            for t in range(len(scales) + j + 1, len(scales)):
                scales[t] = scales[j]
                in_channels[t] = channels[j]

    def forward(self, layers):
        out = [layers[-1]]
        for i in range(len(layers) - self.startp - 1):
            getattr(self, "ida_%d" % i)(layers, len(layers) - i - 2, len(layers))
            out.insert(0, layers[-1])
        return out


class DLASeg(nn.Module):
    """CenterNet `DLASeg` (down_ratio 4, last_level 5, final_kernel 1)."""

    def __init__(self, heads, head_conv=256, channels=(16, 32, 64, 128, 256, 512), levels=(1, 1, 1, 2, 2, 1),
                 fc_classes=1000):
        super().__init__()
        self.first_level, self.last_level = 2, 5
        self.base = DLA(list(levels), list(channels), fc_classes=fc_classes)
        ch = list(channels)
        scales = [2 ** i for i in range(len(ch[self.first_level:]))]
        self.dla_up = DLAUp(self.first_level, ch[self.first_level:], scales)
        out_channel = ch[self.first_level]
        self.ida_up = IDAUp(out_channel, ch[self.first_level:self.last_level],
                            [2 ** i for i in range(self.last_level - self.first_level)])
        self.heads = dict(heads)
        for head, classes in self.heads.items():
            fc = nn.Sequential(nn.Conv2d(out_channel, head_conv, 3, padding=1, bias=True), nn.ReLU(inplace=True),
                               nn.Conv2d(head_conv, classes, 1, stride=1, padding=0, bias=True))
            if "hm" in head:
                fc[-1].bias.data.fill_(-2.19)
            else:
                nn.init.zeros_(fc[0].bias)
                nn.init.zeros_(fc[-1].bias)
            setattr(self, head, fc)

    def forward(self, x):
        x = self.dla_up(self.base(x))
        y = [x[i] for i in range(self.last_level - self.first_level)]
        self.ida_up(y, 0, len(y))
        return {h: getattr(self, h)(y[-1]) for h in self.heads}
