"""The benchmark's quality protocol (as `superres bench quality` applies it): PSNR on BT.601 Y, shaved border."""
import numpy as np


def luma_y(rgb):
    """Y of studio-range BT.601 YCbCr (MATLAB rgb2ycbcr) from 8-bit RGB, in double precision.

    A single-channel (HxW) image is its own grey values, as the protocol scores it."""
    rgb = rgb.astype(np.float64)
    if rgb.ndim == 2:
        return rgb
    return 16 + (65.481 * rgb[..., 0] + 128.553 * rgb[..., 1] + 24.966 * rgb[..., 2]) / 255.0


def psnr_y(output, reference, shave):
    a = luma_y(output)[shave:-shave, shave:-shave]
    b = luma_y(reference)[shave:-shave, shave:-shave]
    mse = np.mean((a - b) ** 2)
    return float("inf") if mse == 0 else float(10 * np.log10(255.0 ** 2 / mse))
