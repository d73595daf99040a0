"""ResNet + up-convolution neck: CenterNet `msra_resnet` (res_18: 3 x ConvTranspose 256) and
`resnet_dcn` (resdcn_18/101: 3 x [DCN, BN, ReLU, ConvTranspose, BN, ReLU] to 256/128/64)."""
import torch.nn as nn

from .dla import fill_up_weights
from .ops import DCN

BN_MOMENTUM = 0.1


def bn(c):
    return nn.BatchNorm2d(c, momentum=BN_MOMENTUM)


class BasicBlock(nn.Module):
    expansion = 1

    def __init__(self, cin, planes, stride=1, downsample=None):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, planes, 3, stride=stride, padding=1, bias=False)
        self.bn1 = bn(planes)
        self.relu = nn.ReLU(inplace=True)
        self.conv2 = nn.Conv2d(planes, planes, 3, stride=1, padding=1, bias=False)
        self.bn2 = bn(planes)
        self.downsample = downsample

    def forward(self, x):
        r = x if self.downsample is None else self.downsample(x)
        y = self.relu(self.bn1(self.conv1(x)))
        return self.relu(self.bn2(self.conv2(y)) + r)


class Bottleneck(nn.Module):
    expansion = 4

    def __init__(self, cin, planes, stride=1, downsample=None):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, planes, 1, bias=False)
        self.bn1 = bn(planes)
        self.conv2 = nn.Conv2d(planes, planes, 3, stride=stride, padding=1, bias=False)
        self.bn2 = bn(planes)
        self.conv3 = nn.Conv2d(planes, planes * 4, 1, bias=False)
        self.bn3 = bn(planes * 4)
        self.relu = nn.ReLU(inplace=True)
        self.downsample = downsample

    def forward(self, x):
        r = x if self.downsample is None else self.downsample(x)
        y = self.relu(self.bn1(self.conv1(x)))
        y = self.relu(self.bn2(self.conv2(y)))
        return self.relu(self.bn3(self.conv3(y)) + r)


SPECS = {18: (BasicBlock, [2, 2, 2, 2]), 101: (Bottleneck, [3, 4, 23, 3])}


class PoseResNet(nn.Module):
    def __init__(self, num_layers, heads, head_conv=64, dcn=False, width=64, layers=None, deconv=None):
        super().__init__()
        block, default_layers = SPECS[num_layers]
        layers = layers or default_layers
        self.inplanes = width
        self.conv1 = nn.Conv2d(3, width, 7, stride=2, padding=3, bias=False)
        self.bn1 = bn(width)
        self.relu = nn.ReLU(inplace=True)
        self.maxpool = nn.MaxPool2d(kernel_size=3, stride=2, padding=1)
        self.layer1 = self._make_layer(block, width, layers[0])
        self.layer2 = self._make_layer(block, width * 2, layers[1], stride=2)
        self.layer3 = self._make_layer(block, width * 4, layers[2], stride=2)
        self.layer4 = self._make_layer(block, width * 8, layers[3], stride=2)
        if deconv is None:
            deconv = [256, 128, 64] if dcn else [256, 256, 256]
        self.deconv_layers = self._make_deconv(deconv, dcn)
        self.heads = dict(heads)
        # msra_resnet registers heads in sorted order, resnet_dcn in dict order (names are what matter)
        order = list(self.heads) if dcn else sorted(self.heads)
        for head in order:
            fc = nn.Sequential(nn.Conv2d(deconv[-1], head_conv, 3, padding=1, bias=True), nn.ReLU(inplace=True),
                               nn.Conv2d(head_conv, self.heads[head], 1, stride=1, padding=0, bias=True))
            if "hm" in head:
                fc[-1].bias.data.fill_(-2.19)
            else:
                nn.init.zeros_(fc[-1].bias)
            setattr(self, head, fc)

    def _make_layer(self, block, planes, blocks, stride=1):
        down = None
        if stride != 1 or self.inplanes != planes * block.expansion:
            down = nn.Sequential(nn.Conv2d(self.inplanes, planes * block.expansion, 1, stride=stride, bias=False),
                                 bn(planes * block.expansion))
        mods = [block(self.inplanes, planes, stride, down)]
        self.inplanes = planes * block.expansion
        mods += [block(self.inplanes, planes) for _ in range(1, blocks)]
        return nn.Sequential(*mods)

    def _make_deconv(self, filters, dcn):
        mods = []
        for planes in filters:
            if dcn:
                up = nn.ConvTranspose2d(planes, planes, 4, stride=2, padding=1, output_padding=0, bias=False)
                fill_up_weights(up)
                mods += [DCN(self.inplanes, planes, 3, stride=1, padding=1, dilation=1), bn(planes),
                         nn.ReLU(inplace=True), up, bn(planes), nn.ReLU(inplace=True)]
            else:
                mods += [nn.ConvTranspose2d(self.inplanes, planes, 4, stride=2, padding=1, output_padding=0,
                                            bias=False), bn(planes), nn.ReLU(inplace=True)]
            self.inplanes = planes
        return nn.Sequential(*mods)

    def forward(self, x):
        x = self.maxpool(self.relu(self.bn1(self.conv1(x))))
        x = self.layer4(self.layer3(self.layer2(self.layer1(x))))
        x = self.deconv_layers(x)
        return {h: getattr(self, h)(x) for h in self.heads}
