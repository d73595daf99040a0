"""Export-friendly building blocks: modulated deformable convolution (DCNv2) and corner pooling.

DeformConv: eager PyTorch computes it with torchvision.ops.deform_conv2d (same bilinear sampling and
zero padding outside the map as DCNv2); during ONNX export a custom symbolic emits a node that export.py
turns into the standard ONNX `DeformConv` (opset 19) with the DCNv2 mask input.

Corner pooling: TopPool(x)[i] = max_{j >= i} x[j] along H, BottomPool = max_{j <= i} along H,
LeftPool = max_{j >= i} along W, RightPool = max_{j <= i} along W. Implemented as a log-step scan:
x = max(x, shift(x, s, fill=-inf)) for s = 1, 2, 4, ... which equals the sequential scan exactly
(max is exact, the windows [i, i + 2s) cover the suffix after ceil(log2(n)) steps).
"""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

try:
    import torchvision.ops as tvops
except ImportError:  # pragma: no cover
    tvops = None

DEFORM_DOMAIN = "keydet"


def _deform_conv_reference(x, offset, mask, weight, bias, stride, padding, dilation):
    """Pure-torch DCNv2 (bilinear sampling, zero outside the map). Used when torchvision is missing."""
    n, c, h, w = x.shape
    co, _, kh, kw = weight.shape
    ho = (h + 2 * padding - dilation * (kh - 1) - 1) // stride + 1
    wo = (w + 2 * padding - dilation * (kw - 1) - 1) // stride + 1
    ys = torch.arange(ho, dtype=x.dtype, device=x.device) * stride - padding
    xs = torch.arange(wo, dtype=x.dtype, device=x.device) * stride - padding
    cols = []
    for k in range(kh * kw):
        ky, kx = divmod(k, kw)
        py = ys.view(1, ho, 1) + ky * dilation + offset[:, 2 * k]
        px = xs.view(1, 1, wo) + kx * dilation + offset[:, 2 * k + 1]
        y0 = torch.floor(py)
        x0 = torch.floor(px)
        val = 0
        for dy in (0, 1):
            for dx in (0, 1):
                yy = y0 + dy
                xx = x0 + dx
                wgt = (1 - (py - yy).abs()) * (1 - (px - xx).abs())
                inside = (yy >= 0) & (yy <= h - 1) & (xx >= 0) & (xx <= w - 1)
                idx = (yy.clamp(0, h - 1) * w + xx.clamp(0, w - 1)).long().view(n, 1, -1).expand(n, c, -1)
                g = torch.gather(x.reshape(n, c, h * w), 2, idx).view(n, c, ho, wo)
                val = val + g * (wgt * inside).unsqueeze(1)
        cols.append(val * mask[:, k].unsqueeze(1))
    col = torch.stack(cols, 2).view(n, c * kh * kw, ho * wo)
    out = torch.einsum("ok,nkp->nop", weight.reshape(co, -1), col).view(n, co, ho, wo)
    return out + bias.view(1, -1, 1, 1)


class _DeformConvFn(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, weight, offset, bias, mask, stride, padding, dilation, k):
        if tvops is not None:
            return tvops.deform_conv2d(x, offset, weight, bias, stride=stride, padding=padding,
                                       dilation=dilation, mask=mask)
        return _deform_conv_reference(x, offset, mask, weight, bias, stride, padding, dilation)

    @staticmethod
    def symbolic(g, x, weight, offset, bias, mask, stride, padding, dilation, k):
        return g.op(DEFORM_DOMAIN + "::DeformConv", x, weight, offset, bias, mask,
                    kernel_shape_i=[k, k], pads_i=[padding] * 4, strides_i=[stride, stride],
                    dilations_i=[dilation, dilation], group_i=1, offset_group_i=1)


class DCN(nn.Module):
    """Modulated deformable 3x3 conv with the parameter names of DCNv2's `DCN`
    (`weight`, `bias`, `conv_offset_mask.{weight,bias}`); offset = channels [0, 2K), mask = sigmoid([2K, 3K))."""

    def __init__(self, cin, cout, kernel_size=3, stride=1, padding=1, dilation=1):
        super().__init__()
        self.stride, self.padding, self.dilation = stride, padding, dilation
        self.k = kernel_size
        self.weight = nn.Parameter(torch.empty(cout, cin, kernel_size, kernel_size))
        self.bias = nn.Parameter(torch.zeros(cout))
        self.conv_offset_mask = nn.Conv2d(cin, 3 * kernel_size * kernel_size, kernel_size,
                                          stride=stride, padding=padding, bias=True)
        bound = 1.0 / math.sqrt(cin * kernel_size * kernel_size)
        nn.init.uniform_(self.weight, -bound, bound)
        nn.init.zeros_(self.conv_offset_mask.weight)
        nn.init.zeros_(self.conv_offset_mask.bias)

    def forward(self, x):
        om = self.conv_offset_mask(x)
        kk = self.k * self.k
        offset = om[:, : 2 * kk]
        mask = torch.sigmoid(om[:, 2 * kk:])
        return _DeformConvFn.apply(x, self.weight, offset, self.bias, mask,
                                   self.stride, self.padding, self.dilation, self.k)


def _shift(x, dim, s, forward):
    """forward=True: y[i] = x[i + s] (suffix scans: Top/Left); else y[i] = x[i - s]. Fill -inf."""
    pad = [0, 0, 0, 0]
    if dim == 3:
        pad[0:2] = [0, s] if forward else [s, 0]
    else:
        pad[2:4] = [0, s] if forward else [s, 0]
    p = F.pad(x, pad, mode="constant", value=float("-inf"))
    if forward:
        return p[:, :, s:, :] if dim == 2 else p[:, :, :, s:]
    return p[:, :, :-s, :] if dim == 2 else p[:, :, :, :-s]


# When set (export with dynamic H/W), the scan does enough steps for maps up to this length; shifts past the
# actual length only bring -inf, so the result is exact for every smaller size.
SCAN_LENGTH = None


def scan_max(x, dim, reverse, length=None):
    """Cumulative max along dim (2 = H, 3 = W); reverse=True scans from the end (max over j >= i)."""
    n = length or SCAN_LENGTH
    if n is None:
        n = x.shape[dim]
    n = int(n)
    s = 1
    while s < n:
        x = torch.maximum(x, _shift(x, dim, s, forward=reverse))
        s *= 2
    return x


def scan_max_sequential(x, dim, reverse):
    """Reference: the sequential scan of the upstream C++ corner pooling."""
    out = x.clone()
    n = x.shape[dim]
    idx = range(n - 2, -1, -1) if reverse else range(1, n)
    for i in idx:
        j = i + 1 if reverse else i - 1
        cur = out.select(dim, i)
        cur.copy_(torch.maximum(cur, out.select(dim, j)))
    return out


class TopPool(nn.Module):
    def forward(self, x):
        return scan_max(x, 2, reverse=True)


class BottomPool(nn.Module):
    def forward(self, x):
        return scan_max(x, 2, reverse=False)


class LeftPool(nn.Module):
    def forward(self, x):
        return scan_max(x, 3, reverse=True)


class RightPool(nn.Module):
    def forward(self, x):
        return scan_max(x, 3, reverse=False)
