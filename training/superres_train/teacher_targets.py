"""The teacher's picture of each whole training image, computed once and cached beside the bicubic pairs.

Why whole images rather than each patch as it is drawn: a patch's target is then made with the picture's real
surroundings (not the zero padding at the patch's edge), the teacher costs nothing per training step, and its
8-orientation mean (the stronger target) costs 8 passes per picture once instead of 8 passes per patch per step.
"""
import glob
import hashlib
import os
import subprocess
import tempfile

import numpy as np
import torch


class TeacherTargets:
    def __init__(self, teacher, teacher_path, folder, ensemble=False):
        with open(teacher_path, "rb") as f:
            weights = hashlib.sha256(f.read()).hexdigest()[:16]
        self.teacher, self.folder, self.ensemble = teacher, folder, ensemble
        self.tag = f"{weights}|{'mean8' if ensemble else 'single'}"
        os.makedirs(folder, exist_ok=True)

    def file_for(self, lr):
        key = hashlib.sha256(self.tag.encode() + np.ascontiguousarray(lr).tobytes()).hexdigest()[:24]
        return os.path.join(self.folder, f"{key}.teacher.npy")

    def make(self, lr, file):
        """The teacher's picture of one whole LR image, written to `file` as HWC float16 in [0, 1]."""
        x = torch.from_numpy(np.array(lr)).permute(2, 0, 1)[None].float().div_(255.0)
        with torch.no_grad():
            y = self.teacher.ensemble(x) if self.ensemble else self.teacher.tiled(x)
        save(y[0].clamp(0, 1).permute(1, 2, 0).numpy(), file)

    def load_all(self, lrs, log=print):
        """The teacher's picture of each LR image (memory-mapped), made where the cache has none yet."""
        files = [self.file_for(lr) for lr in lrs]
        missing = [i for i, file in enumerate(files) if not os.path.exists(file)]
        log(f"teacher targets: {len(lrs) - len(missing)} of {len(lrs)} pictures cached")
        for done, i in enumerate(missing, 1):
            self.make(lrs[i], files[i])
            if done % 10 == 0:
                log(f"teacher targets: {done}/{len(missing)} made")
        return [np.load(file, mmap_mode="r") for file in files]


def make_with_superres(teacher_path, folder, superres, ensemble=False, log=print):
    """The teacher's picture of every LR image cached in `folder` (the run's cache: validation's too), made by
    SuperRes itself: ONNX Runtime runs any teacher graph as is, on the whole picture, in seconds where the PyTorch
    runner takes minutes per picture. The pictures come back as 8-bit PNG, within half a level of the float output.
    Training then finds them cached under the keys it looks for."""
    from PIL import Image
    targets = TeacherTargets(None, teacher_path, folder, ensemble)
    with tempfile.TemporaryDirectory() as work:
        inputs, outputs = os.path.join(work, "lr"), os.path.join(work, "sr")
        os.makedirs(inputs)
        wanted = {}
        for path in sorted(glob.glob(os.path.join(folder, "*.lr.npy"))):
            lr = np.load(path)
            file = targets.file_for(lr)
            if not os.path.exists(file):
                name = os.path.basename(file)[:-len(".teacher.npy")]
                Image.fromarray(lr).save(os.path.join(inputs, f"{name}.png"))
                wanted[name] = file
        log(f"teacher targets: {len(wanted)} to make through {superres}")
        if not wanted:
            return
        command = [superres, "upscale", inputs, "-m", os.path.abspath(teacher_path), "--precision", "fp32", "--tile", "0",
                   "-o", outputs] + (["--ensemble"] if ensemble else [])
        subprocess.run(command, check=True)
        for name, file in wanted.items():
            save(np.asarray(Image.open(os.path.join(outputs, f"{name}.png")).convert("RGB"), dtype=np.float32) / 255.0, file)


def save(picture, file):
    """A teacher's picture (HWC in [0, 1]) as float16; an interrupted run never leaves a half-written target behind."""
    tmp = file[:-len(".npy")] + ".tmp.npy"
    np.save(tmp, picture.astype(np.float16))
    os.replace(tmp, file)
