"""How real photos get their LR: the degradations superres-photo is trained to undo.

After Real-ESRGAN's degradation model (blur, downscale, noise, JPEG, sometimes twice), tuned to the photos people
upload, which are milder than Real-ESRGAN's synthetic range:
- blur before the downscale: none, or Gaussian (isotropic or anisotropic, rotated), sigma 0.1-1.2 LR pixels
  (0.3-3.6 HR pixels at x3): from a lens a little off to a photo that was soft before it was shrunk;
- the downscale: the benchmark's MATLAB bicubic (so clean protocol inputs stay in the training mix), or area,
  bilinear or bicubic as other tools make them (antialiased, centre-aligned: the same pixel grid);
- noise: none, Gaussian (sigma 0-15 of 255, in colour or the same in every channel) or Poisson (shot noise);
- JPEG at quality 30-95 with libjpeg's standard tables and 4:2:0 chroma (Pillow's defaults), sometimes saved twice;
- a second, lighter round (blur, noise, JPEG) now and then, as a photo resaved by an app.

Every draw comes from the numpy Generator the caller passes, so a seed gives the same pictures.

JPEG's 8x8 blocks must fall where they fall in a real file: `degrade` works on a region whose LR origin is a
multiple of 8 in the whole picture (see `PatchSampler`), so the block grid of the region is the picture's.
"""
import io
from dataclasses import dataclass, replace

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image

from .matlab_resize import imresize

KERNELS = ("protocol", "area", "bilinear", "bicubic")
JPEG_BLOCK = 8


@dataclass(frozen=True)
class Degradations:
    """The ranges the training draws from (the defaults are the recipe's); chances are per picture."""
    protocol_share: float = 0.3        # MATLAB bicubic; the rest split evenly over area, bilinear and bicubic
    blur_chance: float = 0.6
    blur_sigma: tuple = (0.1, 1.2)     # in LR pixels (times the scale on the HR, before the downscale)
    anisotropic_chance: float = 0.5
    noise_chance: float = 0.5
    gaussian_sigma: tuple = (0.0, 15.0)
    grey_noise_chance: float = 0.4
    poisson_chance: float = 0.25       # of the noisy pictures, shot noise instead of Gaussian
    poisson_photons: tuple = (2.3, 3.5)  # log10 of the photon count at full scale: 200 (noisy) to 3000 (light)
    jpeg_chance: float = 0.85
    jpeg_quality: tuple = (30, 95)
    twice_chance: float = 0.25         # saved again at another quality
    second_round_chance: float = 0.2   # a lighter blur, noise and JPEG on the LR itself
    clean_chance: float = 0.05         # untouched protocol LR, so the model keeps what clean pictures need


def gaussian_kernel(sigma_x, sigma_y, angle, radius=None):
    """A normalised 2D Gaussian kernel, its axes scaled by sigma_x and sigma_y and rotated by `angle` (radians)."""
    radius = radius or max(1, int(np.ceil(3 * max(sigma_x, sigma_y))))
    y, x = np.mgrid[-radius:radius + 1, -radius:radius + 1].astype(np.float64)
    c, s = np.cos(angle), np.sin(angle)
    u, v = c * x + s * y, -s * x + c * y
    k = np.exp(-0.5 * ((u / sigma_x) ** 2 + (v / sigma_y) ** 2))
    return k / k.sum()


def blur(image, kernel):
    """HxWxC float image convolved with `kernel`, borders reflected (a region's edges are margin anyway)."""
    r = kernel.shape[0] // 2
    x = torch.from_numpy(np.ascontiguousarray(image, dtype=np.float32)).permute(2, 0, 1)[:, None]
    x = F.pad(x, (r, r, r, r), mode="reflect")
    k = torch.from_numpy(kernel.astype(np.float32))[None, None]
    return F.conv2d(x, k)[:, 0].permute(1, 2, 0).numpy()


def downscale(image, scale, kernel):
    """Float HxWxC (H, W multiples of `scale`) shrunk by `scale` with one of KERNELS; float out, not rounded."""
    h, w, c = image.shape
    if kernel == "area":
        return image.reshape(h // scale, scale, w // scale, scale, c).mean(axis=(1, 3))
    if kernel == "protocol":
        rounded = np.clip(np.floor(image + 0.5), 0, 255).astype(np.uint8)
        return imresize(rounded, 1.0 / scale).astype(np.float32)
    method = {"bilinear": Image.BILINEAR, "bicubic": Image.BICUBIC}[kernel]
    planes = [np.asarray(Image.fromarray(image[..., i].astype(np.float32), mode="F").resize((w // scale, h // scale), method))
              for i in range(c)]
    return np.stack(planes, axis=-1)


def add_noise(image, rng, d):
    """Gaussian (colour or grey) or Poisson noise on a float 0..255 image; returns the noisy image."""
    if rng.random() < d.poisson_chance:
        photons = 10 ** rng.uniform(*d.poisson_photons)
        base = np.clip(image, 0, 255) / 255.0
        if rng.random() < d.grey_noise_chance:
            grey = base @ np.array([0.299, 0.587, 0.114])
            shot = rng.poisson(grey * photons) / photons - grey
            return image + 255.0 * shot[..., None]
        return 255.0 * rng.poisson(base * photons) / photons
    sigma = rng.uniform(*d.gaussian_sigma)
    if rng.random() < d.grey_noise_chance:
        return image + rng.normal(0, sigma, image.shape[:2])[..., None]
    return image + rng.normal(0, sigma, image.shape)


def to_uint8(image):
    return np.clip(np.floor(image + 0.5), 0, 255).astype(np.uint8)


def jpeg(image_uint8, quality):
    """The picture as a JPEG decoder gives it back: libjpeg's standard tables scaled to `quality`, 4:2:0 chroma."""
    buffer = io.BytesIO()
    Image.fromarray(image_uint8).save(buffer, "JPEG", quality=int(quality), subsampling="4:2:0")
    buffer.seek(0)
    with Image.open(buffer) as im:
        return np.array(im.convert("RGB"))  # a writable copy, as every other path returns


def random_blur(image, rng, sigma_range, anisotropic_chance):
    sigma_x = rng.uniform(*sigma_range)
    if rng.random() < anisotropic_chance:
        sigma_y, angle = rng.uniform(*sigma_range), rng.uniform(0, np.pi)
    else:
        sigma_y, angle = sigma_x, 0.0
    return blur(image, gaussian_kernel(sigma_x, sigma_y, angle))


def degrade(hr_region, scale, rng, d=Degradations(), protocol_lr=None):
    """A degraded LR (uint8) of an HR region (uint8, sides multiples of scale * 8 for JPEG to align).

    `protocol_lr`, when given, is the protocol's LR of the same region (cut from the whole picture's), used where
    the MATLAB kernel is drawn: it is the exact LR the benchmark would make, borders included."""
    if rng.random() < d.clean_chance:
        return np.array(protocol_lr) if protocol_lr is not None else imresize(hr_region, 1.0 / scale)
    image = hr_region.astype(np.float32)
    blurred = rng.random() < d.blur_chance
    if blurred:
        image = random_blur(image, rng, tuple(scale * v for v in d.blur_sigma), d.anisotropic_chance)
    kernel = "protocol" if rng.random() < d.protocol_share else str(rng.choice(KERNELS[1:]))
    if kernel == "protocol" and not blurred and protocol_lr is not None:
        lr = protocol_lr.astype(np.float32)
    else:
        lr = downscale(image, scale, kernel)
    lr = finish(lr, rng, d)
    if rng.random() < d.second_round_chance:
        # A lighter round on the LR itself, as an app that resaves a photo: a little blur, a little noise, a save.
        light = replace(d, gaussian_sigma=(0.0, d.gaussian_sigma[1] / 3), jpeg_chance=1.0, twice_chance=0.0)
        lr = lr.astype(np.float32)
        if rng.random() < 0.5:
            lr = random_blur(lr, rng, d.blur_sigma, 0.0)
        lr = finish(lr, rng, light)
    return lr


def finish(lr, rng, d):
    """Noise then JPEG (once or twice) on a float LR; uint8 out."""
    if rng.random() < d.noise_chance:
        lr = add_noise(lr, rng, d)
    lr = to_uint8(lr)
    if rng.random() < d.jpeg_chance:
        lr = jpeg(lr, rng.integers(d.jpeg_quality[0], d.jpeg_quality[1] + 1))
        if rng.random() < d.twice_chance:
            lr = jpeg(lr, rng.integers(d.jpeg_quality[0], d.jpeg_quality[1] + 1))
    return lr


def fixed(lr_uint8, spec, seed=0):
    """One named degradation of a protocol LR, as `superres bench quality --degrade` applies it:
    "jpeg:Q", "noise:SIGMA", "blur:SIGMA", or several joined by commas, in order ("noise:5,jpeg:85").
    Noise is colour Gaussian from a generator seeded with `seed`; blur is isotropic Gaussian on the LR."""
    rng = np.random.default_rng(seed)
    image = lr_uint8
    for step in spec.split(","):
        kind, _, value = step.partition(":")
        if kind == "jpeg":
            image = jpeg(image, int(value))
        elif kind == "noise":
            image = to_uint8(image.astype(np.float64) + rng.normal(0, float(value), image.shape))
        elif kind == "blur":
            image = to_uint8(blur(image.astype(np.float32), gaussian_kernel(float(value), float(value), 0.0)))
        else:
            raise ValueError(f"unknown degradation {kind!r}: use jpeg:Q, noise:SIGMA or blur:SIGMA")
    return image
