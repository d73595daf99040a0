"""Deterministic near-identity random weights (used when no checkpoint is given).

Plain random deep nets are numerically chaotic, so a float32 export compared with float32 eager can differ
a lot for reasons unrelated to the export. Here every residual branch's last BatchNorm gets weight 0.1,
convs use He-normal, deformable offset/mask convs are small (offsets of a fraction of a pixel to ~1 px),
and BN statistics are random but tame so that BN folding is exercised."""
import torch
import torch.nn as nn

from . import dla, hourglass, resnet
from .ops import DCN


def near_identity_(model, seed=0):
    g = torch.Generator().manual_seed(seed)

    def normal(t, std):
        with torch.no_grad():
            t.copy_(torch.randn(t.shape, generator=g) * std)

    for name, m in model.named_modules():
        if isinstance(m, DCN):
            fan_in = m.weight[0].numel()
            normal(m.weight, (2.0 / fan_in) ** 0.5)
            normal(m.bias, 0.05)
            normal(m.conv_offset_mask.weight, 0.3 / fan_in ** 0.5)
            normal(m.conv_offset_mask.bias, 0.2)
        elif isinstance(m, nn.Conv2d) and not name.endswith("conv_offset_mask"):
            fan_in = m.weight[0].numel()
            normal(m.weight, (2.0 / fan_in) ** 0.5)
            if m.bias is not None:
                keep = m.bias.detach().clone()
                normal(m.bias, 0.05)
                if torch.all(keep == -2.19):  # heatmap prior stays
                    m.bias.data.add_(-2.19)
        elif isinstance(m, nn.ConvTranspose2d):
            if m.groups == 1:
                fan_in = m.weight.shape[0] * m.weight[0, 0].numel() / 4
                normal(m.weight, (2.0 / fan_in) ** 0.5)
            # grouped (depthwise) up-convs keep their bilinear init
        elif isinstance(m, (nn.BatchNorm2d, nn.BatchNorm1d)):
            with torch.no_grad():
                m.weight.copy_(1 + 0.1 * torch.randn(m.weight.shape, generator=g))
                m.bias.copy_(0.1 * torch.randn(m.bias.shape, generator=g))
                m.running_mean.copy_(0.1 * torch.randn(m.running_mean.shape, generator=g))
                m.running_var.copy_(0.8 + 0.4 * torch.rand(m.running_var.shape, generator=g))
    for m in model.modules():
        last = None
        if isinstance(m, (dla.BasicBlock, resnet.BasicBlock, hourglass.residual)):
            last = m.bn2
        elif isinstance(m, resnet.Bottleneck):
            last = m.bn3
        if last is not None:
            with torch.no_grad():
                last.weight.mul_(0.1)
    return model
