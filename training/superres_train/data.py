"""Training images: find photos in folders, drop duplicates and flat artwork, split, and sample patches."""
import hashlib
import os
import re

import numpy as np
from PIL import Image

from .degrade import degrade
from .matlab_resize import crop_to_multiple, imresize

IMAGE_EXTENSIONS = (".png", ".jpg", ".jpeg", ".webp", ".bmp", ".tif", ".tiff")
# Wallpaper packages ship one picture at many sizes: KDE as <name>/contents/images/<WxH>.jpg,
# others as <name>_<WxH>.jpg. Files in one group are versions of one picture.
_SIZE_SUFFIX = re.compile(r"[_-]?\d{3,5}x\d{3,5}$")


def picture_key(path):
    parts = path.split(os.sep)
    if "contents" in parts and "images" in parts:
        return os.sep.join(parts[: parts.index("contents")])
    stem, _ = os.path.splitext(path)
    return _SIZE_SUFFIX.sub("", stem)


def thumbnail_hash(image, size=16):
    """A tiny grey thumbnail, normalised: equal for the same picture at different sizes."""
    grey = np.asarray(Image.fromarray(image).convert("L").resize((size, size), Image.BOX), dtype=np.float64)
    return (grey - grey.mean()) / (grey.std() + 1e-6)


def load_rgb(path):
    with Image.open(path) as im:
        return np.asarray(im.convert("RGB"))


def discover(folders, include=None, min_short_side=1000, log=print):
    """Returns the chosen image paths: the largest version of each picture, each picture once.

    `include` (optional) lists the pictures to keep as paths relative to a data folder: the recipe's
    list names the photographs among the wallpapers, leaving out drawings and flat artwork by hand
    (no image statistic separated them reliably: bokeh photos are as smooth as gradient art).
    """
    files = []
    for folder in folders:
        for root, _, names in os.walk(folder):
            for name in sorted(names):
                path = os.path.join(root, name)
                if not name.lower().endswith(IMAGE_EXTENSIONS) or name.startswith("screenshot"):
                    continue
                if include is not None and not any(_included(folder, path, pattern) for pattern in include):
                    continue
                files.append(path)
    groups = {}
    for path in sorted(files):
        real = os.path.realpath(path)  # wallpaper packages symlink small sizes to the big file
        try:
            with Image.open(real) as im:
                w, h = im.size
        except OSError:
            log(f"skip {path}: not readable")
            continue
        key = picture_key(path)
        if key not in groups or w * h > groups[key][1]:
            groups[key] = (real, w * h, min(w, h))
    chosen, hashes = [], []
    for path, _, short in sorted(set(groups.values())):
        if short < min_short_side:
            log(f"skip {path}: short side {short} < {min_short_side}")
            continue
        h = thumbnail_hash(load_rgb(path))
        if any(np.mean(np.abs(h - other)) < 0.15 for other in hashes):
            log(f"skip {path}: duplicate picture")
            continue
        hashes.append(h)
        chosen.append(path)
    return chosen


def _included(folder, path, pattern):
    rel = os.path.relpath(path, folder)
    return rel == pattern or rel.startswith(pattern.rstrip("/") + "/")


def read_list(file):
    """One path per line; '#' starts a comment (a whole line, or after the path: the recipe's licence notes)."""
    with open(file, encoding="utf-8") as f:
        entries = (line.split("#", 1)[0].strip() for line in f)
        return [entry for entry in entries if entry]


def split(paths, validation_fraction, seed):
    """Deterministic split by a hash of the file name, so adding images does not reshuffle the rest."""
    def bucket(p):
        return int(hashlib.sha256((str(seed) + os.path.basename(os.path.dirname(p)) + os.path.basename(p)).encode()).hexdigest(), 16) % 1000
    ordered = sorted(paths, key=bucket)
    n_val = max(1, int(round(len(paths) * validation_fraction))) if len(paths) > 1 else 0
    return ordered[n_val:], ordered[:n_val]


class PairCache:
    """HR images cropped to a multiple of the scale and their bicubic LR versions, cached as .npy.

    `hr_scale` < 1 first shrinks the photo itself: wallpaper JPEGs are often soft at full size (lens blur,
    upscaling, compression), and a shrunk photo has the pixel-level sharpness the model should learn to make.
    """

    def __init__(self, folder, scale, hr_scale=1.0):
        self.folder, self.scale, self.hr_scale = folder, scale, hr_scale
        os.makedirs(folder, exist_ok=True)

    def load(self, path):
        st = os.stat(path)
        key = hashlib.sha256(f"{os.path.abspath(path)}|{st.st_size}|{st.st_mtime_ns}|x{self.scale}|{self.hr_scale}".encode()).hexdigest()[:24]
        hr_file, lr_file = (os.path.join(self.folder, f"{key}.{kind}.npy") for kind in ("hr", "lr"))
        if os.path.exists(hr_file) and os.path.exists(lr_file):
            return np.load(hr_file, mmap_mode="r"), np.load(lr_file, mmap_mode="r")
        photo = load_rgb(path)
        if self.hr_scale != 1.0:
            photo = imresize(photo, self.hr_scale)
        hr = np.ascontiguousarray(crop_to_multiple(photo, self.scale))
        lr = imresize(hr, 1.0 / self.scale)
        np.save(hr_file, hr)
        np.save(lr_file, lr)
        return np.load(hr_file, mmap_mode="r"), np.load(lr_file, mmap_mode="r")


def detail(hr_patch):
    """Mean absolute difference between neighbouring grey pixels (0..255): ~1 for blur and sky, 5+ for texture."""
    g = hr_patch.astype(np.float32) @ np.array([0.299, 0.587, 0.114], dtype=np.float32)
    return float((np.abs(np.diff(g, axis=0)).mean() + np.abs(np.diff(g, axis=1)).mean()) / 2)


class PatchSampler:
    """Random aligned LR/HR patches with flips and 90-degree rotations; images drawn by area. Flat patches
    (detail below `min_detail`) are kept only with probability `keep_flat`: out-of-focus backgrounds fill
    much of these photos and teach the model nothing about edges. `detailed_share` is the share of the patches
    drawn so far that reached `min_detail`: what the two knobs did to what the model sees. `targets` (optional):
    the teacher's picture of each pair's whole LR image, cropped, turned and flipped with its HR patch.

    `degradations` (optional, see degrade.py): each LR patch is made anew from its HR, blurred, downscaled, noisy
    and compressed. The patch then starts at a multiple of 8 in the picture's LR and is cut from a region 8 pixels
    wider on each side, so JPEG's blocks fall on the picture's grid and the blur and resize see real surroundings.
    The teacher's target stays its picture of the clean LR: the student learns to get from the damaged picture to
    what the teacher makes of the clean one."""

    MARGIN = 8  # LR pixels around a degraded patch: one JPEG block

    def __init__(self, pairs, scale, patch, rng, min_detail=0.0, keep_flat=0.1, targets=None, degradations=None):
        self.pairs, self.scale, self.patch, self.rng, self.targets = pairs, scale, patch, rng, targets
        self.min_detail, self.keep_flat, self.degradations = min_detail, keep_flat, degradations
        if degradations is not None and patch % 8:
            raise ValueError(f"degraded patches must be a multiple of 8 pixels (JPEG blocks), not {patch}")
        areas = np.array([lr.shape[0] * lr.shape[1] for _, lr in pairs], dtype=np.float64)
        self.weights = areas / areas.sum()
        self.drawn = self.detailed = 0

    @property
    def detailed_share(self):
        return self.detailed / self.drawn if self.drawn else 0.0

    def batch(self, size):
        s, p = self.scale, self.patch
        lrs = np.empty((size, p, p, 3), dtype=np.uint8)
        hrs = np.empty((size, p * s, p * s, 3), dtype=np.uint8)
        tgts = None if self.targets is None else np.empty((size, p * s, p * s, 3), dtype=np.float16)
        for i in range(size):
            for _ in range(30):
                n = self.rng.choice(len(self.pairs), p=self.weights)
                hr, lr = self.pairs[n]
                y, x = self.origin(lr.shape[0]), self.origin(lr.shape[1])
                lr_patch = lr[y:y + p, x:x + p]
                hr_patch = hr[y * s:(y + p) * s, x * s:(x + p) * s]
                detailed = self.min_detail <= 0 or detail(hr_patch) >= self.min_detail
                if detailed or self.rng.random() < self.keep_flat:
                    break
            self.drawn += 1
            self.detailed += detailed
            if self.degradations is not None:
                lr_patch = self.degraded(hr, lr, y, x)
            k = int(self.rng.integers(0, 4))
            flip = bool(self.rng.integers(0, 2))
            lrs[i], hrs[i] = turn(lr_patch, k, flip), turn(hr_patch, k, flip)
            if tgts is not None:
                tgts[i] = turn(self.targets[n][y * s:(y + p) * s, x * s:(x + p) * s], k, flip)
        return lrs, hrs, tgts

    def origin(self, lr_side):
        """Where a patch starts along one side: anywhere, or for degraded patches a multiple of 8 with room for the margin."""
        if self.degradations is None:
            return int(self.rng.integers(0, lr_side - self.patch + 1))
        m = self.MARGIN
        return 8 * int(self.rng.integers(1, (lr_side - self.patch - m) // 8 + 1))

    def degraded(self, hr, lr, y, x):
        s, p, m = self.scale, self.patch, self.MARGIN
        region = np.ascontiguousarray(hr[(y - m) * s:(y + p + m) * s, (x - m) * s:(x + p + m) * s])
        protocol = np.ascontiguousarray(lr[y - m:y + p + m, x - m:x + p + m])
        return degrade(region, s, self.rng, self.degradations, protocol)[m:m + p, m:m + p]


def turn(patch, quarter_turns, flip):
    patch = np.rot90(patch, quarter_turns)
    return patch[:, ::-1] if flip else patch


def validation_crops(pairs, scale, size=384, per_image=2, degradations=None):
    """The most detailed HR crops (size a multiple of 2, 3 and 4) of the held-out images, chosen from a 4x4
    grid of candidates, with their own LR made by the benchmark's bicubic: validation PSNR follows the
    benchmark protocol and measures edges and texture rather than blurred backgrounds. With `degradations`,
    each crop's LR is degraded as training's are, from a generator seeded by its index: the same in every run."""
    crops = []
    for hr, _ in pairs:
        h, w = hr.shape[:2]
        c = min(size, h - h % scale, w - w % scale)
        c -= c % scale
        candidates = []
        for gy in range(4):
            for gx in range(4):
                y = (h - c) * gy // 3
                x = (w - c) * gx // 3
                y -= y % scale
                x -= x % scale
                candidates.append((detail(hr[y:y + c:4, x:x + c:4]), y, x))
        for _, y, x in sorted(candidates, reverse=True)[:per_image]:
            crop = np.ascontiguousarray(hr[y:y + c, x:x + c])
            lr = imresize(crop, 1.0 / scale)
            if degradations is not None:
                lr = degrade(crop, scale, np.random.default_rng(1000 + len(crops)), degradations, lr)
            crops.append((crop, lr))
    return crops


def write_protocol_lr(path, scale, folder):
    """The benchmark's LR of one HR image (grey stays single-channel), as a PNG in `folder`; returns its path."""
    with Image.open(path) as im:
        hr = np.asarray(im if im.mode == "L" else im.convert("RGB"))
    lr = imresize(crop_to_multiple(hr, scale), 1.0 / scale)
    os.makedirs(folder, exist_ok=True)
    out = os.path.join(folder, os.path.basename(path))
    Image.fromarray(lr).save(out)
    return out
