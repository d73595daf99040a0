"""DEXTR (Deep Extreme Cut, scaelles/DEXTR-PyTorch networks/deeplab_resnet.py): ResNet-101 DeepLab-v2 with
the PSP head, 4 input channels (R, G, B, extreme-point heat map, each 0..255), one output class.

Written from a reading of the upstream `ResNet(Bottleneck, [3, 4, 23, 3], 1, nInputChannels=4,
classifier='psp')` with its parameter names, so that `dextr_pascal-sbd.pth` loads strictly:
`conv1`, `bn1`, `layer1..4.<i>.{conv1,bn1,conv2,bn2,conv3,bn3,downsample.0,downsample.1}`,
`layer5.stages.<s>.{1,2}`, `layer5.bottleneck.{0,1}`, `layer5.final`.

Upstream particulars kept: the stride of a bottleneck sits on its first 1x1 conv (Caffe style); layer3 and
layer4 have stride 1 with dilation 2 and 4 (padding = dilation) and always a downsample branch; strides
(2, 2, 2, 1, 1) give output stride 8; the PSP head pools to 1, 2, 3, 6, upsamples each prior bilinearly with
align_corners=True, concatenates them with the features (in_features * 2 channels) and applies an extra ReLU
after its bottleneck (ReLU twice = once). The forward here ends with ExtremeNet's / DEXTR's demo step,
`upsample(outputs, size=(512, 512), mode='bilinear', align_corners=True)`, to the input size (512 in use), so
the ONNX output is the full 512x512 logit map (the sigmoid stays outside, in Java).

`width` divides every channel count (64 -> 64 / width ...) for tiny test models; `layers` sets the block
counts. Both default to the published network.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

FULL_LAYERS = (3, 4, 23, 3)


class Bottleneck(nn.Module):
    expansion = 4

    def __init__(self, inplanes, planes, stride=1, dilation=1, downsample=None):
        super().__init__()
        self.conv1 = nn.Conv2d(inplanes, planes, 1, stride=stride, bias=False)
        self.bn1 = nn.BatchNorm2d(planes)
        self.conv2 = nn.Conv2d(planes, planes, 3, stride=1, padding=dilation, dilation=dilation, bias=False)
        self.bn2 = nn.BatchNorm2d(planes)
        self.conv3 = nn.Conv2d(planes, planes * 4, 1, bias=False)
        self.bn3 = nn.BatchNorm2d(planes * 4)
        self.relu = nn.ReLU(inplace=True)
        self.downsample = downsample

    def forward(self, x):
        out = self.relu(self.bn1(self.conv1(x)))
        out = self.relu(self.bn2(self.conv2(out)))
        out = self.bn3(self.conv3(out))
        res = x if self.downsample is None else self.downsample(x)
        return self.relu(out + res)


def adaptive_avg_pool(x, size):
    """nn.AdaptiveAvgPool2d((size, size)) as slices + means (bin i covers floor(i n / s) .. ceil((i + 1) n / s)),
    which ONNX export accepts for any size at a fixed input size (torch 1.13 refuses non-divisors)."""
    h, w = int(x.shape[2]), int(x.shape[3])
    rows = []
    for i in range(size):
        y0, y1 = (i * h) // size, -((-(i + 1) * h) // size)
        cols = []
        for j in range(size):
            x0, x1 = (j * w) // size, -((-(j + 1) * w) // size)
            # a sum and a division, not mean: ReduceMean takes axes as an input from opset 18 (export is 17 -> 19)
            cols.append(x[:, :, y0:y1, x0:x1].sum(dim=(2, 3), keepdim=True) / float((y1 - y0) * (x1 - x0)))
        rows.append(torch.cat(cols, 3))
    return torch.cat(rows, 2)


class PSPModule(nn.Module):
    def __init__(self, in_features, out_features, sizes=(1, 2, 3, 6), n_classes=1):
        super().__init__()
        self.stages = nn.ModuleList([self._stage(in_features, s) for s in sizes])
        self.bottleneck = nn.Sequential(
            nn.Conv2d(in_features * (len(sizes) // 4 + 1), out_features, 1, bias=False),
            nn.BatchNorm2d(out_features), nn.ReLU(inplace=True))
        self.relu = nn.ReLU()
        self.final = nn.Conv2d(out_features, n_classes, 1)

    @staticmethod
    def _stage(in_features, size):
        return nn.Sequential(nn.AdaptiveAvgPool2d((size, size)),
                             nn.Conv2d(in_features, in_features // 4, 1, bias=False),
                             nn.BatchNorm2d(in_features // 4), nn.ReLU(inplace=True))

    def forward(self, feats):
        h, w = feats.shape[2], feats.shape[3]
        priors = [F.interpolate(stage[1:](adaptive_avg_pool(feats, stage[0].output_size[0])), size=(h, w),
                                mode="bilinear", align_corners=True) for stage in self.stages]
        priors.append(feats)
        return self.final(self.relu(self.bottleneck(torch.cat(priors, 1))))


class DextrResNet(nn.Module):
    """Input `[N, 4, H, W]` (RGB + heat, 0..255); output {'mask': logits `[N, 1, H, W]`} (stride-8 map
    upsampled bilinearly with align_corners=True to the input size)."""

    def __init__(self, layers=FULL_LAYERS, width=1, in_channels=4, n_classes=1):
        super().__init__()
        c = 64 // width
        self.inplanes = c
        self.conv1 = nn.Conv2d(in_channels, c, 7, stride=2, padding=3, bias=False)
        self.bn1 = nn.BatchNorm2d(c)
        self.relu = nn.ReLU(inplace=True)
        self.maxpool = nn.MaxPool2d(3, stride=2, padding=1, ceil_mode=False)
        self.layer1 = self._layer(c, layers[0])
        self.layer2 = self._layer(2 * c, layers[1], stride=2)
        self.layer3 = self._layer(4 * c, layers[2], dilation=2)
        self.layer4 = self._layer(8 * c, layers[3], dilation=4)
        self.layer5 = PSPModule(32 * c, 8 * c, n_classes=n_classes)

    def _layer(self, planes, blocks, stride=1, dilation=1):
        # upstream: downsample when stride != 1, channels change, or dilation is 2 or 4
        downsample = None
        if stride != 1 or self.inplanes != planes * 4 or dilation in (2, 4):
            downsample = nn.Sequential(nn.Conv2d(self.inplanes, planes * 4, 1, stride=stride, bias=False),
                                       nn.BatchNorm2d(planes * 4))
        mods = [Bottleneck(self.inplanes, planes, stride, dilation, downsample)]
        self.inplanes = planes * 4
        mods += [Bottleneck(self.inplanes, planes, dilation=dilation) for _ in range(1, blocks)]
        return nn.Sequential(*mods)

    def forward(self, x):
        size = (x.shape[2], x.shape[3])
        y = self.maxpool(self.relu(self.bn1(self.conv1(x))))
        y = self.layer4(self.layer3(self.layer2(self.layer1(y))))
        y = self.layer5(y)
        return {"mask": F.interpolate(y, size=size, mode="bilinear", align_corners=True)}


def build(tiny=False):
    if tiny:
        return DextrResNet(layers=(1, 2, 3, 1), width=16)
    return DextrResNet()


def init_random_(model, seed=0, logit_mean=2.5, logit_std=2.5):
    """Deterministic tame random weights: He-normal convs, 0.1 x the last BN of each bottleneck, random but
    tame BN statistics, the first conv scaled for 0..255 inputs, and the final conv rescaled so that the
    logits on a mid-grey input with one heat blob have the given mean/std (a mask that crosses 0.8)."""
    g = torch.Generator().manual_seed(seed)

    def normal(t, std):
        with torch.no_grad():
            t.copy_(torch.randn(t.shape, generator=g) * std)

    for name, m in model.named_modules():
        if isinstance(m, nn.Conv2d):
            fan_in = m.weight[0].numel()
            normal(m.weight, (2.0 / fan_in) ** 0.5 / (128.0 if name == "conv1" else 1.0))
            if m.bias is not None:
                normal(m.bias, 0.05)
        elif isinstance(m, nn.BatchNorm2d):
            with torch.no_grad():
                m.weight.copy_(1 + 0.1 * torch.randn(m.weight.shape, generator=g))
                m.bias.copy_(0.1 * torch.randn(m.bias.shape, generator=g))
                m.running_mean.copy_(0.1 * torch.randn(m.running_mean.shape, generator=g))
                m.running_var.copy_(0.8 + 0.4 * torch.rand(m.running_var.shape, generator=g))
    for m in model.modules():
        if isinstance(m, Bottleneck):
            with torch.no_grad():
                m.bn3.weight.mul_(0.1)
    # calibration input like a real crop: smooth colours (bilinear 8x8 noise) and four heat blobs
    x = F.interpolate(torch.rand(1, 4, 8, 8, generator=g) * 255, size=(512, 512), mode="bilinear",
                      align_corners=True)
    yy, xx = torch.meshgrid(torch.arange(512.0), torch.arange(512.0), indexing="ij")
    heat = torch.zeros(512, 512)
    for cx, cy in ((256, 50), (50, 256), (256, 462), (462, 256)):
        heat = torch.maximum(heat, torch.exp(-4 * 0.6931 * ((xx - cx) ** 2 + (yy - cy) ** 2) / 100.0))
    x[0, 3] = 255 * heat
    model.eval()
    with torch.no_grad():
        y = model(x)["mask"]
        a = logit_std / max(y.std().item(), 1e-12)
        fin = model.layer5.final
        fin.weight.mul_(a)
        fin.bias.copy_(a * (fin.bias - y.mean().item()) + logit_mean)
    return model


def metadata(input_hw=(512, 512)):
    """KeyDet segmenter spec (docs/model-spec.md, DEXTR section)."""
    return {
        "keydet.family": "DEXTR",
        "keydet.input_height": str(input_hw[0]),
        "keydet.input_width": str(input_hw[1]),
        "keydet.layout": "NCHW",
        "keydet.channel_order": "RGB",
        "keydet.value_scale": "1",
        "keydet.dextr.relax": "50",
        "keydet.dextr.sigma": "10",
        "keydet.dextr.threshold": "0.8",
        "keydet.dextr.output": "LOGITS_FULL",
        "keydet.source": "keydet tools/export arch=dextr",
    }
