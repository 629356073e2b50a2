"""Exports a checkpoint to ONNX with the metadata SuperRes reads (superres.scale/channels/range) plus the
model's cost and how it was trained, then checks the file with the ONNX checker."""
import json

import numpy as np
import onnx
import onnx.numpy_helper
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
    torch.onnx.export(models.fuse_for_inference(model), dummy, output, opset_version=13, input_names=["input"], output_names=["output"],
                      dynamic_axes={"input": {0: "n", 2: "h", 3: "w"}, "output": {0: "n", 2: "H", 3: "W"}})
    onnx_model = onnx.load(output)
    to_dcr_depth_to_space(onnx_model)
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


def to_dcr_depth_to_space(onnx_model):
    """PyTorch exports PixelShuffle as DepthToSpace in CRD order; rewrites it to DCR, TensorFlow's order, by
    permuting the output channels of the convolutions that feed it (through Adds). Same function, but
    OpenCV runs it correctly in every process: once OpenCV's dnn_superres module has loaded a zoo model, its
    own DepthToSpace layer (DCR whatever the attribute says) replaces the built-in one process-wide."""
    graph = onnx_model.graph
    producer = {out: node for node in graph.node for out in node.output}
    initializers = {t.name: t for t in graph.initializer}
    for node in graph.node:
        if node.op_type != "DepthToSpace":
            continue
        mode = next((a for a in node.attribute if a.name == "mode"), None)
        if mode is None or mode.s != b"CRD":
            continue
        r = next(a.i for a in node.attribute if a.name == "blocksize")
        convs, pending = [], [node.input[0]]
        while pending:
            source = producer[pending.pop()]
            if source.op_type == "Add":
                pending.extend(source.input)
            elif source.op_type == "Conv":
                convs.append(source)
            else:
                raise ValueError(f"cannot reorder DepthToSpace fed by {source.op_type}")
        for conv in convs:
            for name in conv.input[1:]:
                tensor = initializers[name]
                values = onnx.numpy_helper.to_array(tensor)
                c = values.shape[0] // (r * r)
                # DCR channel (i*r + j)*C + k holds what CRD keeps at k*r*r + i*r + j.
                order = np.arange(values.shape[0]).reshape(c, r * r).T.reshape(-1)
                tensor.CopyFrom(onnx.numpy_helper.from_array(np.ascontiguousarray(values[order]), name))
        mode.s = b"DCR"


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
