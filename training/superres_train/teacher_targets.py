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

    def load(self, lr):
        """The teacher's output for one whole LR image, HWC float16 in [0, 1] (memory-mapped)."""
        file = self.file_for(lr)
        if not os.path.exists(file):
            x = torch.from_numpy(np.array(lr)).permute(2, 0, 1)[None].float().div_(255.0)
            with torch.no_grad():
                y = self.teacher.ensemble(x, self.teacher.tiled) if self.ensemble else self.teacher.tiled(x)
            picture = y[0].clamp(0, 1).permute(1, 2, 0).numpy().astype(np.float16)
            tmp = file[:-len(".npy")] + ".tmp.npy"
            np.save(tmp, picture)
            os.replace(tmp, file)  # an interrupted run never leaves a half-written target behind
        return np.load(file, mmap_mode="r")

    def load_all(self, lrs, log=print):
        cached = sum(os.path.exists(self.file_for(lr)) for lr in lrs)
        log(f"teacher targets: {cached} of {len(lrs)} pictures cached")
        targets = []
        for i, lr in enumerate(lrs):
            targets.append(self.load(lr))
            if (i + 1) % 10 == 0 and cached < len(lrs):
                log(f"teacher targets: {i + 1}/{len(lrs)}")
        return targets
