"""A distillation teacher: an ONNX super-resolution model run in PyTorch (Debian has no Python ONNX Runtime).

Reads the graph with python3-onnx and runs the operators lightweight SR networks use, with the weights as
tensors: CARN-M's (Constant, Conv, Relu, Add, Concat, DepthToSpace in either order) and BSRN's (GELU written
as Erf, attention from MaxPool, a bilinear Resize back to the input's size, the contrast statistics from
ReduceSum/Pow/GlobalAveragePool, and the Shape/Gather/Slice/Cast/Unsqueeze chain that computes that size).
The teacher is only needed to train: the product never loads it. Input and output as the ONNX file's
contract: NCHW RGB in [0, 1].
"""
import numpy as np
import onnx
import torch
import torch.nn.functional as F
from onnx import numpy_helper


class OnnxTeacher:
    SUPPORTED = {"Constant", "Conv", "Relu", "Add", "Sub", "Mul", "Div", "Pow", "Erf", "Sigmoid", "Concat", "DepthToSpace",
                 "Identity", "MaxPool", "Resize", "ReduceSum", "GlobalAveragePool", "Shape", "Gather", "Slice", "Cast",
                 "Unsqueeze"}
    GLOBAL = {"GlobalAveragePool", "ReduceSum", "Resize", "MaxPool"}

    def __init__(self, path):
        model = onnx.load(path)
        graph = model.graph
        unknown = {n.op_type for n in graph.node} - self.SUPPORTED
        if unknown:
            raise SystemExit(f"{path}: operators {sorted(unknown)} are not supported by the teacher runner")
        self.constants = {t.name: torch.from_numpy(numpy_helper.to_array(t).copy()) for t in graph.initializer}
        self.nodes = []
        for n in graph.node:
            attrs = {a.name: onnx.helper.get_attribute_value(a) for a in n.attribute}
            if n.op_type == "Constant":
                self.constants[n.output[0]] = torch.from_numpy(numpy_helper.to_array(attrs["value"]).copy())
            else:
                self.nodes.append((n.op_type, list(n.input), list(n.output), attrs))
        self.input = graph.input[0].name
        self.output = graph.output[0].name
        # Where each intermediate is read for the last time: it is dropped there, so a whole picture's pass keeps
        # only the few feature maps still needed alive (keeping all of them reached 14 GB on the x2 run's pictures).
        last_read = {}
        for index, (_, inputs, _, _) in enumerate(self.nodes):
            for name in inputs:
                last_read[name] = index
        self.dead_after = [[n for n in set(inputs) if n and last_read.get(n) == index and n not in self.constants and n != self.output]
                           for index, (_, inputs, _, _) in enumerate(self.nodes)]
        meta = {p.key: p.value for p in model.metadata_props}
        self.scale = int(meta.get("superres.scale", 0)) or None
        # BSRN's attention pools over its whole input (contrast statistics) and over wide windows resized back to the
        # input's size, so its tiles get a wider margin; see tiled().
        self.local = not ({op for op, _, _, _ in self.nodes} & self.GLOBAL)

    @torch.no_grad()
    def __call__(self, x):
        values = dict(self.constants)
        values[self.input] = x
        for (op, inputs, outputs, attrs), dead in zip(self.nodes, self.dead_after):
            args = [values[i] if i else None for i in inputs]  # an omitted input keeps its position
            y = run_operator(op, args, attrs)
            values[outputs[0]] = y
            for name in dead:
                del values[name]
            del args
        return values[self.output]

    def tiled(self, x, tile=128, margin=None):
        """The teacher over a whole picture in overlapping tiles. With a 16 px margin the tiles give one pass's
        picture (CARN-M x2, x3 and x4: within 1.4e-6) in less time: 1.6 s against 2.5 s on 300x430, and a large
        picture in one pass spends most of its time faulting in memory (540x960: 48 s).
        A teacher whose output depends on its whole input (not `local`: BSRN) gets a 32 px margin. Its tiles then
        differ from one pass, but are as good: on a 373x597 training picture, BSRN x3 in tiles of 128 scored
        27.973 dB against HR, in one pass 27.958, and took 14 s against 53."""
        margin = margin if margin is not None else (16 if self.local else 32)
        _, _, h, w = x.shape
        out = None
        for y in range(0, h, tile):
            for x0 in range(0, w, tile):
                top, left = max(0, y - margin), max(0, x0 - margin)
                bottom, right = min(h, y + tile + margin), min(w, x0 + tile + margin)
                part = self(x[:, :, top:bottom, left:right])
                s = part.shape[2] // (bottom - top)
                if out is None:
                    out = x.new_empty(x.shape[0], part.shape[1], h * s, w * s)
                core_h, core_w = min(tile, h - y), min(tile, w - x0)
                out[:, :, y * s:(y + core_h) * s, x0 * s:(x0 + core_w) * s] = \
                    part[:, :, (y - top) * s:(y - top + core_h) * s, (x0 - left) * s:(x0 - left + core_w) * s]
        return out

    def ensemble(self, x):
        """The mean of the teacher's pictures over the 8 flips and rotations (each in tiles): a stronger target."""
        total = 0
        for k in range(4):
            for flip in (False, True):
                t = torch.rot90(x, k, dims=(2, 3))
                t = torch.flip(t, dims=(3,)) if flip else t
                y = self.tiled(t)
                y = torch.flip(y, dims=(3,)) if flip else y
                total = total + torch.rot90(y, -k, dims=(2, 3))
        return total / 8


ELEMENTWISE = {"Add": torch.add, "Sub": torch.sub, "Mul": torch.mul, "Div": torch.div, "Pow": torch.pow}
UNARY = {"Relu": F.relu, "Erf": torch.erf, "Sigmoid": torch.sigmoid, "Identity": lambda x: x}
# ONNX Cast's element types that shape arithmetic uses: float, int32, int64.
CAST = {1: torch.float32, 6: torch.int32, 7: torch.int64}


def run_operator(op, args, attrs):
    """One ONNX node on torch tensors (shape values are int64 tensors, as ONNX computes them)."""
    if op == "Conv":
        pads = attrs.get("pads", [0, 0, 0, 0])
        return F.conv2d(args[0], args[1], args[2] if len(args) > 2 else None, stride=attrs.get("strides", [1, 1]),
                        padding=(pads[0], pads[1]), dilation=attrs.get("dilations", [1, 1]), groups=attrs.get("group", 1))
    if op in ELEMENTWISE:
        return ELEMENTWISE[op](args[0], args[1])
    if op in UNARY:
        return UNARY[op](args[0])
    if op == "Concat":
        return torch.cat(args, dim=attrs["axis"])
    if op == "DepthToSpace":
        return depth_to_space(args[0], attrs["blocksize"], attrs.get("mode", b"DCR"))
    if op == "MaxPool":
        pads = attrs.get("pads", [0, 0, 0, 0])
        if pads[:2] != pads[2:] or attrs.get("ceil_mode", 0):
            raise ValueError("MaxPool with uneven padding or ceil_mode is not supported")
        return F.max_pool2d(args[0], attrs["kernel_shape"], attrs.get("strides", 1), padding=pads[:2])
    if op == "Resize":
        return resize(args[0], args[1:], attrs)
    if op == "ReduceSum":
        axes = [int(a) for a in args[1].tolist()] if len(args) > 1 else list(range(args[0].dim()))
        return args[0].sum(dim=axes, keepdim=bool(attrs.get("keepdims", 1)))
    if op == "GlobalAveragePool":
        return args[0].mean(dim=(2, 3), keepdim=True)
    if op == "Shape":
        return torch.tensor(args[0].shape, dtype=torch.int64)
    if op == "Gather":
        return torch.index_select(args[0], attrs.get("axis", 0), args[1].reshape(-1).long()).reshape(
            args[0].shape[:attrs.get("axis", 0)] + args[1].shape + args[0].shape[attrs.get("axis", 0) + 1:])
    if op == "Slice":
        return slice_tensor(*args)
    if op == "Cast":
        return args[0].to(CAST[attrs["to"]])
    if op == "Unsqueeze":
        y = args[0]
        for axis in sorted(int(a) for a in args[1].tolist()):
            y = y.unsqueeze(axis)
        return y
    raise ValueError(f"operator {op} is not supported by the teacher runner")


def resize(x, rest, attrs):
    """ONNX Resize, the forms SR networks export: linear or nearest to explicit sizes or scales, no antialias."""
    mode = attrs.get("mode", b"nearest").decode()
    transform = attrs.get("coordinate_transformation_mode", b"half_pixel").decode()
    sizes = rest[2] if len(rest) > 2 and rest[2] is not None and rest[2].numel() else None
    size = [int(v) for v in sizes.tolist()[2:]] if sizes is not None else None
    scale = None if size is not None else [float(v) for v in rest[1].tolist()[2:]]
    if mode == "linear" and transform in ("half_pixel", "pytorch_half_pixel"):
        return F.interpolate(x, size=size, scale_factor=scale, mode="bilinear", align_corners=False)
    if mode == "linear" and transform == "align_corners":
        return F.interpolate(x, size=size, scale_factor=scale, mode="bilinear", align_corners=True)
    if mode == "nearest" and transform == "asymmetric":
        return F.interpolate(x, size=size, scale_factor=scale, mode="nearest")
    raise ValueError(f"Resize mode {mode} with {transform} coordinates is not supported")


def slice_tensor(x, starts, ends, axes=None, steps=None):
    axes = range(len(starts)) if axes is None else [int(a) for a in axes.tolist()]
    steps = [1] * len(starts) if steps is None else [int(s) for s in steps.tolist()]
    index = [slice(None)] * x.dim()
    for axis, start, end, step in zip(axes, starts.tolist(), ends.tolist(), steps):
        index[axis] = slice(int(start), min(int(end), x.shape[axis]), step)
    return x[tuple(index)]


def depth_to_space(x, block, mode):
    mode = mode.decode() if isinstance(mode, bytes) else mode
    n, c, h, w = x.shape
    if mode == "CRD":  # PyTorch's PixelShuffle
        return F.pixel_shuffle(x, block)
    y = x.reshape(n, block, block, c // (block * block), h, w).permute(0, 3, 4, 1, 5, 2)
    return y.reshape(n, c // (block * block), h * block, w * block)


def reference(teacher_path, image_path, output_path, tile=None):
    """Writes the teacher's float output for one image (raw float32 NCHW), to check it against ONNX Runtime;
    in tiles of `tile` pixels when given, as the training targets are made."""
    from PIL import Image
    teacher = OnnxTeacher(teacher_path)
    with Image.open(image_path) as im:
        rgb = np.asarray(im.convert("RGB"), dtype=np.float32) / 255.0
    x = torch.from_numpy(rgb).permute(2, 0, 1)[None].contiguous()
    out = (teacher.tiled(x, tile) if tile else teacher(x))[0].numpy().astype(np.float32)
    out.tofile(output_path)
    return out.shape
