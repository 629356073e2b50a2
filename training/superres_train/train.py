"""The training loop: L1 (or L2) loss on random patches, Adam, cosine learning rate, checkpoints, resume,
validation PSNR by the benchmark protocol, progress as CSV and a PNG plot."""
import csv
import io
import json
import math
import os
import time
from dataclasses import replace

import numpy as np
import torch
from PIL import Image

from . import data, models, onnx_weights
from .degrade import Degradations
from .metrics import psnr_y


def learning_rate(args, step):
    if step < args.warmup:
        return args.lr * (step + 1) / args.warmup
    if args.schedule == "constant":
        return args.lr
    progress = min(1.0, (step - args.warmup) / max(1, args.steps - args.warmup))
    return args.min_lr + 0.5 * (args.lr - args.min_lr) * (1 + math.cos(math.pi * progress))


def to_tensor(batch_uint8):
    return torch.from_numpy(np.ascontiguousarray(batch_uint8)).permute(0, 3, 1, 2).float().div_(255.0)


def upscale_uint8(model, lr_uint8):
    with torch.no_grad():
        out = model(to_tensor(lr_uint8[None]))[0]
    return out.clamp(0, 1).mul(255).round().byte().permute(1, 2, 0).numpy()


def validate(model, crops, scale):
    model.eval()
    scores = [psnr_y(upscale_uint8(model, lr), hr, scale) for hr, lr in crops]
    model.train()
    return float(np.mean(scores))


class ProgressLog:
    """progress.csv (appended across resumed runs) and progress.png beside the checkpoints."""

    FIELDS = ["step", "loss", "lr", "steps_per_s", "val_psnr", "elapsed_s"]

    def __init__(self, folder):
        self.csv = os.path.join(folder, "progress.csv")
        self.png = os.path.join(folder, "progress.png")
        if not os.path.exists(self.csv):
            with open(self.csv, "w", newline="") as f:
                csv.writer(f).writerow(self.FIELDS)

    def write(self, row):
        with open(self.csv, "a", newline="") as f:
            csv.writer(f).writerow([row.get(k, "") for k in self.FIELDS])

    def rows(self):
        with open(self.csv, newline="") as f:
            return list(csv.DictReader(f))

    def plot(self, title, loss_name="L1"):
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
        rows = self.rows()
        loss = [(int(r["step"]), float(r["loss"])) for r in rows if r["loss"]]
        val = [(int(r["step"]), float(r["val_psnr"])) for r in rows if r["val_psnr"]]
        fig, ax = plt.subplots(figsize=(8, 4.5), dpi=100)
        if loss:
            ax.plot(*zip(*loss), color="tab:blue", linewidth=1)
        ax.set_xlabel("step")
        ax.set_ylabel(f"{loss_name} loss (0..1 range)", color="tab:blue")
        ax.set_yscale("log")
        if val:
            ax2 = ax.twinx()
            ax2.plot(*zip(*val), color="tab:red", marker="o", markersize=3)
            ax2.set_ylabel("validation PSNR, Y (dB)", color="tab:red")
        ax.set_title(title)
        fig.tight_layout()
        # A line plot needs few colours: a 128-colour palette keeps the committed plot about a quarter of RGB's size.
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png")
        plt.close(fig)
        buffer.seek(0)
        plot = Image.open(buffer).convert("RGB").quantize(colors=128, dither=Image.Dither.NONE)
        plot.save(self.png, optimize=True)


def save_checkpoint(path, model, optimizer, step, args, rng, best_psnr):
    state = {"model": model.state_dict(), "optimizer": optimizer.state_dict(), "step": step,
             "args": portable_recipe(args), "rng": rng.bit_generator.state, "torch_rng": torch.get_rng_state(),
             "best_psnr": best_psnr}
    tmp = path + ".tmp"
    torch.save(state, tmp)
    os.replace(tmp, path)  # a crash while saving never leaves a half-written checkpoint


def portable_recipe(args):
    """The run's options without this machine's paths: the cache location is dropped, and the checkpoint
    folder and --init keep only their run names, so a committed summary reads the same on any machine."""
    recipe = {k: v for k, v in vars(args).items() if k != "cache_dir"}
    if getattr(args, "teacher", None):
        recipe["teacher"] = os.path.basename(args.teacher)
    recipe["checkpoint_dir"] = os.path.basename(os.path.normpath(args.checkpoint_dir))
    for key in ("init", "init_upsampler"):
        if getattr(args, key, None):
            recipe[key] = run_relative(getattr(args, key))
    return recipe


def run_relative(checkpoint):
    """A checkpoint's run folder and file name, without the machine's path above them."""
    return os.path.join(os.path.basename(os.path.dirname(os.path.abspath(checkpoint))), os.path.basename(checkpoint))


def fitting(loaded, own, prefix=""):
    """The tensors of a loaded state (those under prefix) that this model has, at the same shape."""
    return {k: v for k, v in loaded.items() if k.startswith(prefix) and k in own and own[k].shape == v.shape}


def training_degradations(args):
    """What damages the LR patches (None: clean training): degrade.py's ranges, with the JPEG qualities and the
    protocol kernel's share as asked."""
    if not getattr(args, "degrade", False):
        return None
    d = Degradations()
    jpeg_range = getattr(args, "degrade_jpeg", None)
    if jpeg_range:
        if not 1 <= jpeg_range[0] <= jpeg_range[1] <= 100:
            raise SystemExit(f"--degrade-jpeg needs 1 <= LOW <= HIGH <= 100, not {jpeg_range[0]} {jpeg_range[1]}")
        d = replace(d, jpeg_quality=tuple(jpeg_range))
    share = getattr(args, "degrade_protocol_share", None)
    if share is not None:
        if not 0 <= share <= 1:
            raise SystemExit(f"--degrade-protocol-share is a share from 0 to 1, not {share}")
        d = replace(d, protocol_share=share)
    return d


def run(args, log=print):
    if getattr(args, "init_upsampler", None) and not args.init:
        raise SystemExit("--init-upsampler goes with --init: it replaces the upsampler of the model --init starts")
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    os.makedirs(args.checkpoint_dir, exist_ok=True)
    last = os.path.join(args.checkpoint_dir, "last.pt")

    include = data.read_list(args.include) if args.include else None
    paths = data.discover(args.data, include, min_short_side=args.min_short_side, log=log)
    if len(paths) < 2:
        raise SystemExit(f"need at least 2 training images (one for validation), found {len(paths)} in {', '.join(args.data)}")
    train_paths, val_paths = data.split(paths, args.val_fraction, args.seed)
    log(f"{len(paths)} pictures: {len(train_paths)} for training, {len(val_paths)} for validation")
    folder = args.cache_dir or os.path.join(args.checkpoint_dir, "cache")
    caches = [data.PairCache(folder, args.scale, hr_scale) for hr_scale in args.hr_scale]
    started = time.time()
    # Each photo at each downscale: more distinct patches from the same photographs, and the teacher's target
    # fits any of them; validation stays on the first downscale, so its curve compares across runs.
    train_pairs = [cache.load(p) for cache in caches for p in train_paths]
    degradations = training_degradations(args)
    val_crops = data.validation_crops([caches[0].load(p) for p in val_paths], args.scale, size=args.val_size,
                                      degradations=degradations)
    log(f"bicubic pairs ready in {time.time() - started:.1f} s: {len(train_pairs)} for training "
        f"(downscale {', '.join(f'{s:g}' for s in args.hr_scale)})")

    model = models.build(args.arch, args.scale, args.blocks, args.features)
    optimizer = torch.optim.Adam(model.parameters(), lr=args.lr, betas=(0.9, 0.99))
    rng = np.random.default_rng(args.seed)
    step, best = 0, -1.0
    if args.resume and os.path.exists(last):
        state = torch.load(last)
        model.load_state_dict(state["model"])
        optimizer.load_state_dict(state["optimizer"])
        rng.bit_generator.state = state["rng"]
        torch.set_rng_state(state["torch_rng"])
        step, best = state["step"], state["best_psnr"]
        log(f"resumed from {last} at step {step}")
    elif args.init:
        # Another model's weights where the shapes agree: an x3 body starts an x2 or x4 model, whose
        # upsampler (a different number of output channels) starts fresh.
        source = onnx_weights.load_any(args.init)
        loaded = source["model"]
        source_args = source.get("args", {})
        if (models.is_edsr(args.arch) and models.is_edsr(source_args.get("arch")) and source_args.get("features") == args.features
                and source_args.get("blocks", args.blocks) < args.blocks):
            loaded = models.grown_edsr_state(loaded, source_args["blocks"], model)
            log(f"growing {source_args['blocks']} blocks to {args.blocks}: the added blocks start as identities")
        own = model.state_dict()
        kept = fitting(loaded, own)
        model.load_state_dict(kept, strict=False)
        log(f"initialised {len(kept)} of {len(own)} tensors from {args.init}")
        if getattr(args, "init_upsampler", None):
            # A body trained longer at another scale with this scale's trained upsampler: the upsampler adapts to
            # the new body within a few hundred steps, where a fresh one starts untrained.
            upsampler = fitting(onnx_weights.load_any(args.init_upsampler)["model"], own, prefix="tail.")
            if not upsampler:
                raise SystemExit(f"{args.init_upsampler} has no upsampler of this model's shape")
            model.load_state_dict(upsampler, strict=False)
            log(f"upsampler: {len(upsampler)} tensors from {args.init_upsampler}")
    macs = models.macs_per_input_pixel(model)
    log(f"{args.arch} {args.blocks}x{args.features} x{args.scale}: {sum(p.numel() for p in model.parameters()):,} parameters, "
        f"{macs / 1e3:.0f} K multiply-adds per input pixel")
    targets = None
    if getattr(args, "teacher", None):
        from .teacher import OnnxTeacher
        from .teacher_targets import TeacherTargets
        teacher = OnnxTeacher(args.teacher)
        if teacher.scale not in (None, args.scale):
            raise SystemExit(f"the teacher {os.path.basename(args.teacher)} is x{teacher.scale}, this run is x{args.scale}")
        log(f"distilling from {os.path.basename(args.teacher)} (weight {args.teacher_weight}"
            f"{', its 8-orientation mean' if args.teacher_ensemble else ''})")
        started_targets = time.time()
        targets = TeacherTargets(teacher, args.teacher, folder, args.teacher_ensemble).load_all(
            [lr for _, lr in train_pairs], log)
        log(f"teacher targets ready in {time.time() - started_targets:.1f} s")
    if args.init and step == 0:
        # Where a run from another model's weights starts: a grown model starts exactly where its source ended.
        log(f"starting val PSNR {validate(model, val_crops, args.scale):.3f} dB")
    progress = ProgressLog(args.checkpoint_dir)
    sampler = data.PatchSampler(train_pairs, args.scale, args.patch, rng, args.min_detail, args.keep_flat, targets,
                                degradations)
    title = f"{args.arch} {args.blocks}x{args.features} x{args.scale}"
    loss_name = args.loss
    pixel_loss = torch.nn.functional.mse_loss if loss_name == "l2" else torch.nn.functional.l1_loss
    window_loss, window_steps, window_start = 0.0, 0, time.time()
    while step < args.steps:
        for group in optimizer.param_groups:
            group["lr"] = learning_rate(args, step)
        lr_batch, hr_batch, target_batch = sampler.batch(args.batch)
        output = model(to_tensor(lr_batch))
        loss = pixel_loss(output, to_tensor(hr_batch))
        if target_batch is not None:
            # The teacher's picture is a second target: smoother to fit than HR, and right where HR is soft.
            target = torch.from_numpy(target_batch).permute(0, 3, 1, 2).float()
            loss = (1 - args.teacher_weight) * loss + args.teacher_weight * pixel_loss(output, target)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
        step += 1
        window_loss += loss.item()
        window_steps += 1
        validate_now = step % args.val_every == 0 or step == args.steps
        if step % args.log_every == 0 or validate_now:
            rate = window_steps / (time.time() - window_start)
            row = {"step": step, "loss": f"{window_loss / window_steps:.6g}", "lr": f"{learning_rate(args, step - 1):.3g}",
                   "steps_per_s": f"{rate:.3f}", "elapsed_s": f"{time.time() - started:.0f}"}
            if validate_now:
                psnr = validate(model, val_crops, args.scale)
                row["val_psnr"] = f"{psnr:.3f}"
                if psnr > best:
                    best = psnr
                    save_checkpoint(os.path.join(args.checkpoint_dir, "best.pt"), model, optimizer, step, args, rng, best)
            log(f"step {step}/{args.steps}  loss {row['loss']}  lr {row['lr']}  {rate:.2f} steps/s"
                + (f"  val PSNR {row['val_psnr']} dB" if "val_psnr" in row else ""))
            progress.write(row)
            window_loss, window_steps, window_start = 0.0, 0, time.time()
        if step % args.save_every == 0 or step == args.steps:
            save_checkpoint(last, model, optimizer, step, args, rng, best)
            progress.plot(title, loss_name.upper())
    with open(os.path.join(args.checkpoint_dir, "summary.json"), "w") as f:
        recipe = portable_recipe(args)
        # The share of this process's patches (since its start or resume) that reached --min-detail.
        json.dump({"step": step, "best_val_psnr": best, "macs_per_input_pixel": macs,
                   "detailed_patch_share": round(sampler.detailed_share, 4), "args": recipe}, f, indent=2)
    return best
