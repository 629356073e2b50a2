"""Exports a checkpoint to ONNX with the metadata SuperRes reads (superres.scale/channels/range) plus the
model's cost and how it was trained, then checks the file with the ONNX checker."""
import json

import numpy as np
import onnx
import torch

from . import models


def load_model(checkpoint_path):
    state = torch.load(checkpoint_path)
    a = state["args"]
    model = models.build(a["arch"], a["scale"], a["blocks"], a["features"])
    model.load_state_dict(state["model"])
    model.eval()
    return model, state


def export(checkpoint_path, output, extra_metadata=None, log=print):
    model, state = load_model(checkpoint_path)
    a = state["args"]
    dummy = torch.rand(1, 3, 32, 32)
    torch.onnx.export(model, dummy, output, opset_version=13, input_names=["input"], output_names=["output"],
                      dynamic_axes={"input": {0: "n", 2: "h", 3: "w"}, "output": {0: "n", 2: "H", 3: "W"}})
    onnx_model = onnx.load(output)
    recipe = {k: a[k] for k in ("arch", "blocks", "features", "scale", "hr_scale", "min_detail", "steps", "batch", "patch", "lr", "schedule", "seed", "include") if k in a}
    metadata = {
        "superres.scale": str(a["scale"]),
        "superres.channels": "RGB",
        "superres.range": "1",
        "superres.macs_per_input_pixel": str(int(models.macs_per_input_pixel(model))),
        "superres.parameters": str(sum(p.numel() for p in model.parameters())),
        "superres.training": json.dumps({"step": state["step"], "validation_psnr": round(state["best_psnr"], 3), **recipe}),
    }
    metadata.update(extra_metadata or {})
    del onnx_model.metadata_props[:]
    for key, value in metadata.items():
        onnx_model.metadata_props.add(key=key, value=value)
    onnx_model.producer_name = "superres-train"
    onnx.checker.check_model(onnx_model)
    onnx.save(onnx_model, output)
    log(f"wrote {output}: {a['arch']} x{a['scale']}, step {state['step']}, {metadata['superres.macs_per_input_pixel']} MAC per input pixel")


def reference(checkpoint_path, image_path, output_path):
    """Writes the PyTorch model's float output for one image as raw float32 NCHW (for the cross-check
    that SuperRes's ONNX run matches PyTorch)."""
    from .data import load_rgb
    model, _ = load_model(checkpoint_path)
    image = torch.from_numpy(np.ascontiguousarray(load_rgb(image_path))).permute(2, 0, 1)[None].float() / 255.0
    with torch.no_grad():
        out = model(image)
    out.numpy().astype("<f4").tofile(output_path)
    return tuple(out.shape)
