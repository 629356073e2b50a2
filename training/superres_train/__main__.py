"""python3 -m superres_train train|export|reference|teacher-reference|lr ... (run from the training/ folder)."""
import argparse
import os
import sys

DEFAULT_DATA = ["/usr/share/wallpapers", "/usr/share/backgrounds"]


def parse(argv):
    p = argparse.ArgumentParser(prog="python3 -m superres_train", description="Train SuperRes's own super-resolution models.")
    sub = p.add_subparsers(dest="command", required=True)

    t = sub.add_parser("train", help="train (or --resume) a model")
    t.add_argument("--data", nargs="+", default=DEFAULT_DATA, help="folders of high-resolution photos")
    t.add_argument("--include", help="file listing the pictures to use, relative to a data folder (see recipes/)")
    t.add_argument("--min-short-side", type=int, default=1000)
    t.add_argument("--scale", type=int, choices=[2, 3, 4], default=3)
    t.add_argument("--hr-scale", type=float, nargs="+", default=[0.5],
                   help="shrink each photo by this factor first (soft photos get sharper); several factors train on each "
                        "photo at each of them, and validation uses the first")
    t.add_argument("--min-detail", type=float, default=3.0, help="patches flatter than this are mostly skipped (0 = keep all)")
    t.add_argument("--keep-flat", type=float, default=0.1,
                   help="chance that a patch under --min-detail is kept all the same, so flat areas are still seen")
    t.add_argument("--arch", choices=["edsr", "edsr-rep", "rfdn"], default="edsr",
                   help="edsr-rep trains the edsr network with re-parameterised 3x3 convs and exports it as plain edsr")
    t.add_argument("--blocks", type=int, default=8)
    t.add_argument("--features", type=int, default=48)
    t.add_argument("--steps", type=int, default=6000)
    t.add_argument("--batch", type=int, default=16)
    t.add_argument("--patch", type=int, default=48, help="LR patch size in pixels")
    t.add_argument("--lr", type=float, default=1e-3)
    t.add_argument("--loss", choices=["l1", "l2"], default="l1",
                   help="l1 trains best from the start; l2 (mean squared error, what PSNR measures) suits a short "
                   "last run at a low learning rate")
    t.add_argument("--min-lr", type=float, default=1e-5)
    t.add_argument("--schedule", choices=["cosine", "constant"], default="cosine")
    t.add_argument("--warmup", type=int, default=100)
    t.add_argument("--seed", type=int, default=1)
    t.add_argument("--checkpoint-dir", required=True)
    t.add_argument("--cache-dir", help="where the bicubic LR/HR pairs are cached (default: <checkpoint-dir>/cache)")
    t.add_argument("--resume", action="store_true", help="continue from <checkpoint-dir>/last.pt")
    t.add_argument("--init", help="start from another model's weights: a checkpoint (.pt) or an exported model (.onnx, e.g. the shipped "
                   "models/superres-edsr-x3.onnx); an x3 body can start an x2 model")
    t.add_argument("--init-upsampler", help="with --init from another scale: take the upsampler from this checkpoint or exported model "
                   "of the run's own scale, so the other scale's body starts with a trained upsampler, not a fresh one")
    t.add_argument("--val-fraction", type=float, default=0.12)
    t.add_argument("--val-size", type=int, default=384)
    t.add_argument("--val-every", type=int, default=250)
    t.add_argument("--log-every", type=int, default=25)
    t.add_argument("--save-every", type=int, default=100)
    t.add_argument("--threads", type=int, default=2)
    t.add_argument("--teacher", help="an ONNX teacher (e.g. CARN-M_x3.onnx): its output on each LR patch is a second target")
    t.add_argument("--teacher-weight", type=float, default=0.5, help="share of the loss that goes to the teacher's target (0..1)")
    t.add_argument("--degrade", action="store_true",
                   help="train on photos as people upload them: each LR patch blurred, downscaled by a random kernel, noisy "
                        "and JPEG-compressed (see degrade.py), against the clean HR and the teacher's picture of the clean LR; "
                        "validation then scores degraded crops")
    t.add_argument("--degrade-jpeg", type=int, nargs=2, metavar=("LOW", "HIGH"),
                   help="with --degrade: the JPEG qualities drawn from (default 30 95); a lower range makes a stronger "
                        "restoring end, the weights' interpolation covering the milder files")
    t.add_argument("--degrade-protocol-share", type=float, metavar="P",
                   help="with --degrade: the share of pictures downscaled by the protocol's MATLAB bicubic (default 0.3), "
                        "the rest by area, bilinear or bicubic as other tools do")
    t.add_argument("--teacher-ensemble", action="store_true", help="the teacher's target is its mean over the 8 flips and rotations")

    e = sub.add_parser("export", help="export a checkpoint to ONNX for SuperRes")
    e.add_argument("checkpoint")
    e.add_argument("--output", "-o", required=True)

    r = sub.add_parser("reference", help="write a checkpoint's float output for one image (raw float32 NCHW)")
    r.add_argument("checkpoint")
    r.add_argument("image")
    r.add_argument("--output", "-o", required=True)

    tr = sub.add_parser("teacher-reference", help="write an ONNX teacher's float output for one image (raw float32 NCHW)")
    tr.add_argument("teacher")
    tr.add_argument("image")
    tr.add_argument("--output", "-o", required=True)
    tr.add_argument("--tile", type=int, help="run in overlapping tiles of this size, as training's teacher targets are made")

    tt = sub.add_parser("teacher-targets", help="make the teacher's targets of a run's cached LR pictures through SuperRes "
                        "(ONNX Runtime, whole pictures), before `train --teacher` with the same --checkpoint-dir")
    tt.add_argument("teacher")
    tt.add_argument("--checkpoint-dir", required=True)
    tt.add_argument("--cache-dir", help="as train's (default: <checkpoint-dir>/cache)")
    tt.add_argument("--superres", default=os.path.join(os.path.dirname(__file__), "..", "..", "superres"),
                    help="the superres command (default: the checkout's ./superres)")
    tt.add_argument("--teacher-ensemble", action="store_true")

    lr = sub.add_parser("lr", help="write the protocol's LR of HR images (crop to a multiple, MATLAB bicubic)")
    lr.add_argument("images", nargs="+")
    lr.add_argument("--scale", "-s", type=int, required=True)
    lr.add_argument("--output", "-o", required=True, help="folder; each LR keeps its HR's file name")
    return p.parse_args(argv)


def main(argv=None):
    args = parse(sys.argv[1:] if argv is None else argv)
    from .allocator import keep_freed_memory
    keep_freed_memory()
    if args.command == "train":
        from .train import run
        run(args, log=lambda m: print(m, flush=True))
    elif args.command == "export":
        from .export import export
        export(args.checkpoint, args.output)
    elif args.command == "teacher-reference":
        from .teacher import reference as teacher_reference
        print(" ".join(map(str, teacher_reference(args.teacher, args.image, args.output, args.tile))))
    elif args.command == "teacher-targets":
        from .teacher_targets import make_with_superres
        make_with_superres(args.teacher, args.cache_dir or os.path.join(args.checkpoint_dir, "cache"), args.superres,
                           args.teacher_ensemble)
    elif args.command == "lr":
        from .data import write_protocol_lr
        for path in args.images:
            print(write_protocol_lr(path, args.scale, args.output))
    else:
        from .export import reference
        print(" ".join(map(str, reference(args.checkpoint, args.image, args.output))))


if __name__ == "__main__":
    main()
