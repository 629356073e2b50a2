"""Weights and recipe of a model exported by `export`, read back from its ONNX file, so training can start
from what ships (`train --init models/superres-edsr-x3.onnx`) instead of a checkpoint kept out of git.

The exported initializers keep PyTorch's state-dict names. Two things differ from a checkpoint: the
convolutions that feed DepthToSpace had their output channels reordered from CRD to DCR at export (undone
here), and re-parameterised blocks were merged into plain convolutions, whose names are those of the plain
branch of RepConv3x3, so a merged file starts an `edsr-rep` run at its own output.
"""
import json

import numpy as np
import onnx
import torch
from onnx import numpy_helper


def load(path):
    """A checkpoint-like dict {"model": state dict, "args": recipe, "step": 0} from an exported ONNX file."""
    model = onnx.load(path)
    graph = model.graph
    tensors = {t.name: numpy_helper.to_array(t).copy() for t in graph.initializer}
    for name, order in _dcr_orders(graph).items():
        tensors[name] = np.ascontiguousarray(tensors[name][np.argsort(order)])
    meta = {p.key: p.value for p in model.metadata_props}
    if "superres.training" not in meta:
        raise SystemExit(f"{path} was not exported by superres_train (no superres.training metadata): it cannot start a run")
    recipe = json.loads(meta["superres.training"])
    args = {key: recipe[key] for key in ("arch", "blocks", "features", "scale") if key in recipe}
    if args.get("arch") == "edsr-rep":
        args["arch"] = "edsr"  # merged at export: the file holds a plain network
    return {"model": {k: torch.from_numpy(v) for k, v in tensors.items()}, "args": args, "step": 0}


def _dcr_orders(graph):
    """For each weight and bias feeding a DCR DepthToSpace (through Adds), the channel order export applied."""
    producer = {out: node for node in graph.node for out in node.output}
    orders = {}
    for node in graph.node:
        if node.op_type != "DepthToSpace":
            continue
        mode = next((a.s for a in node.attribute if a.name == "mode"), b"DCR")
        if mode != b"DCR":
            continue
        r = next(a.i for a in node.attribute if a.name == "blocksize")
        pending = [node.input[0]]
        while pending:
            source = producer.get(pending.pop())
            if source is None:
                continue
            if source.op_type == "Add":
                pending.extend(source.input)
            elif source.op_type == "Conv":
                for name in source.input[1:]:
                    channels = next(t.dims[0] for t in graph.initializer if t.name == name)
                    c = channels // (r * r)
                    orders[name] = np.arange(channels).reshape(c, r * r).T.reshape(-1)
    return orders


def load_any(path):
    """A training checkpoint (.pt) or an exported model (.onnx), as the dict torch.load gives for a checkpoint."""
    return load(path) if path.lower().endswith(".onnx") else torch.load(path)
