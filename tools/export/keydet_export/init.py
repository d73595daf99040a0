"""Deterministic near-identity random weights (used when no checkpoint is given).

Plain random deep nets are numerically chaotic, so a float32 export compared with float32 eager can differ
a lot for reasons unrelated to the export. Here every residual branch's last BatchNorm gets weight 0.1,
convs use He-normal, deformable offset/mask convs are small (offsets of a fraction of a pixel to ~1 px),
and BN statistics are random but tame so that BN folding is exercised."""
import torch
import torch.nn as nn

from . import dla, hourglass, lite, resnet
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
        if isinstance(m, (dla.BasicBlock, resnet.BasicBlock, hourglass.residual, lite.fire_module)):
            last = m.bn2
        elif isinstance(m, resnet.Bottleneck):
            last = m.bn3
        if last is not None:
            with torch.no_grad():
                last.weight.mul_(0.1)
    return model


# target (mean, std) of each head's raw output on a random input, so that test data looks like a detector's:
# heatmap logits mostly negative with some peaks above sigmoid 0.1, boxes of a few cells, small offsets.
HEAD_TARGETS = {"heat": (-4.0, 1.5), "hm": (-4.0, 1.5), "wh": (6.0, 2.0), "reg": (0.5, 0.2),
                "regr": (0.5, 0.2), "hp_offset": (0.5, 0.2), "hps": (0.0, 3.0), "tag": (0.0, 0.5),
                "dep": (0.0, 1.0), "rot": (0.0, 1.0), "dim": (1.0, 0.3), "att": (-2.5, 1.5)}
CORNER_ATTR = {"tl_heat": "tl_heats", "br_heat": "br_heats", "ct_heat": "ct_heats", "tl_tag": "tl_tags",
               "br_tag": "br_tags", "ct_regr": "ct_regrs"}


def _target(name):
    if name in HEAD_TARGETS:
        return HEAD_TARGETS[name]
    for suffix in ("heat", "regr", "tag"):
        if name.endswith(suffix):
            return HEAD_TARGETS[suffix]
    if name.startswith("hm"):
        return HEAD_TARGETS["hm"]
    if name.startswith("att"):
        return HEAD_TARGETS["att"]
    return HEAD_TARGETS["reg"]


def head_last_conv(model, upstream_name, canonical):
    if upstream_name.startswith("att") and hasattr(model, "att_modules"):  # CornerNet-Saccade attention
        return model.att_modules[-1][int(upstream_name[3:])][-1]
    if hasattr(model, upstream_name):
        m = getattr(model, upstream_name)
    else:
        attr = CORNER_ATTR.get(canonical)
        if attr is None:  # tl_regr / br_regr: CornerNet-Lite `*_offs`, Triplets `*_regrs`
            attr = canonical.replace("regr", "offs") if hasattr(model, canonical.replace("regr", "offs")) \
                else canonical + "s"
        m = getattr(model, attr)
    if isinstance(m, nn.ModuleList):
        m = m[-1]
    return m[-1]


def calibrate_heads_(model, input_hw, rename, seed=0, x=None):
    """Affine rescale of every head's last 1x1 conv so its output on a fixed random input (or on `x`, an
    [N, 3, H, W] tensor) has the target mean/std (deterministic; keeps all module types and names)."""
    g = torch.Generator().manual_seed(seed + 12345)
    if x is None:
        x = torch.randn(1, 3, input_hw[0], input_hw[1], generator=g)
    model.eval()
    with torch.no_grad():
        outs = model(x)
        for up_name, y in outs.items():
            canonical = rename.get(up_name, up_name)
            conv = head_last_conv(model, up_name, canonical)
            mean, std = _target(canonical)
            m, s = y.mean().item(), y.std().item()
            a = std / max(s, 1e-12)
            conv.weight.mul_(a)
            conv.bias.copy_(a * (conv.bias - m) + mean)
    return model
