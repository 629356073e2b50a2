"""MATLAB-style bicubic imresize (a = -0.5, antialiased when shrinking, mirrored borders).

The same arithmetic as src/SuperRes/Quality/MatlabResize.cs, which reproduces the benchmark's
LR_bicubic files exactly: training inputs must be made the way benchmark inputs are. As MATLAB does for
uint8 input, each pass (height, then width) is rounded back to uint8.
"""
import numpy as np


def cubic(x):
    ax = np.abs(x)
    ax2, ax3 = ax * ax, ax * ax * ax
    near = (1.5 * ax3 - 2.5 * ax2 + 1) * (ax <= 1)
    far = (-0.5 * ax3 + 2.5 * ax2 - 4 * ax + 2) * ((ax > 1) & (ax <= 2))
    return near + far


def contributions(in_length, out_length, scale):
    """Input indices (out_length, taps) and normalised weights that make each output sample."""
    antialias = scale < 1
    width = 4.0 / scale if antialias else 4.0
    taps = int(np.ceil(width)) + 2
    u = (np.arange(1, out_length + 1) / scale) + 0.5 * (1 - 1 / scale)  # 1-based MATLAB coordinates
    left = np.floor(u - width / 2).astype(np.int64)
    j = left[:, None] + np.arange(taps)[None, :]
    d = u[:, None] - j
    weights = scale * cubic(scale * d) if antialias else cubic(d)
    weights = weights / weights.sum(axis=1, keepdims=True)
    return mirror(j, in_length), weights


def mirror(j, n):
    """0-based index MATLAB reads for 1-based position j: 1..n, n..1 repeated (symmetric padding)."""
    m = np.mod(j - 1, 2 * n)
    return np.where(m < n, m, 2 * n - 1 - m)


def _resize_axis(image, out_length, scale, axis):
    index, weights = contributions(image.shape[axis], out_length, scale)
    moved = np.moveaxis(image, axis, 0)
    out = np.zeros((out_length,) + moved.shape[1:], dtype=np.float64)
    for k in range(index.shape[1]):
        w = weights[:, k].reshape((-1,) + (1,) * (moved.ndim - 1))
        out += w * moved[index[:, k]]
    return np.clip(np.floor(np.moveaxis(out, 0, axis) + 0.5), 0, 255)  # back to uint8 values


def imresize(image, scale):
    """Resizes an HxW or HxWxC uint8 image by `scale` (1/3 shrinks by three); returns uint8."""
    h, w = image.shape[:2]
    out_h, out_w = int(np.ceil(h * scale)), int(np.ceil(w * scale))
    work = image.astype(np.float64)
    work = _resize_axis(work, out_h, scale, 0)  # height first, as MATLAB does
    work = _resize_axis(work, out_w, scale, 1)
    return work.astype(np.uint8)


def crop_to_multiple(image, scale):
    h, w = image.shape[:2]
    return image[: h - h % scale, : w - w % scale]
