"""The teacher's picture of each whole training image, computed once and cached beside the bicubic pairs.

Why whole images rather than each patch as it is drawn: a patch's target is then made with the picture's real
surroundings (not the zero padding at the patch's edge), the teacher costs nothing per training step, and its
8-orientation mean (the stronger target) costs 8 passes per picture once instead of 8 passes per patch per step.
"""
import hashlib
import os

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
        picture = y[0].clamp(0, 1).permute(1, 2, 0).numpy().astype(np.float16)
        tmp = file[:-len(".npy")] + ".tmp.npy"
        np.save(tmp, picture)
        os.replace(tmp, file)  # an interrupted run never leaves a half-written target behind

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
