"""Super-resolution networks. Every layer is local (no global pooling or attention over the whole image),
so tiled inference in SuperRes gives the same result as a whole-image run, and every op exports to plain
ONNX (Conv, Relu/LeakyRelu, Sigmoid, Mul, Add, Concat, DepthToSpace).

Both networks end the same way: a 3x3 conv to 3*s*s channels plus the input repeated s*s times (a
nearest-neighbour "anchor", as in ABPN), then pixel shuffle. The network only learns the residual over
a cheap upscale, which trains much faster than learning the whole image.
"""
import torch
from torch import nn

from .reparam import RepConv3x3, plain_conv3x3


class AnchoredUpsampler(nn.Module):
    def __init__(self, features, scale, conv=nn.Conv2d):
        super().__init__()
        self.conv = conv(features, 3 * scale * scale, 3, padding=1)
        self.shuffle = nn.PixelShuffle(scale)
        # Repeating each input channel s*s times, written as a fixed one-hot 1x1 conv: a plain Conv in
        # ONNX that every runtime runs, where repeat_interleave would export as a chain of shape ops.
        repeat = torch.zeros(3 * scale * scale, 3, 1, 1)
        for c in range(3):
            repeat[c * scale * scale:(c + 1) * scale * scale, c] = 1
        self.register_buffer("repeat", repeat)

    def forward(self, features, image):
        return self.shuffle(self.conv(features) + nn.functional.conv2d(image, self.repeat))


class ResBlock(nn.Module):
    def __init__(self, features, conv=nn.Conv2d):
        super().__init__()
        self.body = nn.Sequential(conv(features, features, 3, padding=1), nn.ReLU(inplace=True),
                                  conv(features, features, 3, padding=1))

    def forward(self, x):
        return x + self.body(x)


class Edsr(nn.Module):
    """EDSR-style: head conv, `blocks` residual blocks (no batch norm), body conv with a long skip."""

    def __init__(self, scale, blocks=8, features=48, conv=nn.Conv2d):
        super().__init__()
        self.head = conv(3, features, 3, padding=1)
        self.body = nn.Sequential(*[ResBlock(features, conv) for _ in range(blocks)], conv(features, features, 3, padding=1))
        self.tail = AnchoredUpsampler(features, scale, conv)

    def forward(self, x):
        h = self.head(x)
        return self.tail(h + self.body(h), x)


class RepEdsr(Edsr):
    """The same network as Edsr at inference, trained with every 3x3 conv re-parameterised (RepConv3x3)."""

    def __init__(self, scale, blocks=8, features=48):
        super().__init__(scale, blocks, features, conv=RepConv3x3)


class ShallowResidual(nn.Module):
    """RFDN's shallow residual block: one 3x3 conv plus identity."""

    def __init__(self, features):
        super().__init__()
        self.conv = nn.Conv2d(features, features, 3, padding=1)

    def forward(self, x):
        return self.conv(x) + x

    def fused(self):
        """The same function as one conv: the identity is a 1 on the centre tap of each channel's own
        kernel. One op fewer at inference, and it keeps OpenCV DNN's ONNX importer from mis-sizing a
        Concat whose inputs come through this Add with dynamic height and width."""
        with torch.no_grad():
            kernel = self.conv.weight.clone()
            kernel[:, :, 1, 1] += torch.eye(self.conv.out_channels, self.conv.in_channels)
            return plain_conv3x3(kernel, self.conv.bias)


class DistillationBlock(nn.Module):
    """RFDN's residual feature distillation block. At each of three steps a 1x1 conv keeps half the
    channels ("distilled") and a shallow residual block refines all of them; a 3x3 conv finishes, and a
    1x1 conv fuses the four distilled parts. RFDN's enhanced spatial attention (ESA) pools over large
    windows and resizes back, which makes the output depend on tile borders; a pixel attention (1x1 conv
    and sigmoid, as in PAN) takes its place here: local, nearly free."""

    def __init__(self, features):
        super().__init__()
        d = features // 2
        self.act = nn.LeakyReLU(0.05, inplace=True)
        self.distill = nn.ModuleList([nn.Conv2d(features, d, 1) for _ in range(3)])
        self.refine = nn.ModuleList([ShallowResidual(features) for _ in range(3)])
        self.last = nn.Conv2d(features, d, 3, padding=1)
        self.fuse = nn.Conv2d(4 * d, features, 1)
        self.attention = nn.Conv2d(features, features, 1)

    def forward(self, x):
        parts, r = [], x
        for distill, refine in zip(self.distill, self.refine):
            parts.append(self.act(distill(r)))
            r = self.act(refine(r))
        parts.append(self.act(self.last(r)))
        fused = self.fuse(torch.cat(parts, dim=1))
        return x + fused * torch.sigmoid(self.attention(fused))


class Rfdn(nn.Module):
    """RFDN-style network chosen for quality per multiply-add on CPUs: 3x3 convs at LR resolution only,
    half-width 1x1 distillation paths, features of every block fused at the end."""

    def __init__(self, scale, blocks=6, features=48):
        super().__init__()
        self.head = nn.Conv2d(3, features, 3, padding=1)
        self.blocks = nn.ModuleList([DistillationBlock(features) for _ in range(blocks)])
        self.fuse = nn.Sequential(nn.Conv2d(blocks * features, features, 1), nn.LeakyReLU(0.05, inplace=True))
        self.smooth = nn.Conv2d(features, features, 3, padding=1)
        self.tail = AnchoredUpsampler(features, scale)

    def forward(self, x):
        h = self.head(x)
        outs, r = [], h
        for block in self.blocks:
            r = block(r)
            outs.append(r)
        return self.tail(self.smooth(self.fuse(torch.cat(outs, dim=1))) + h, x)


ARCHITECTURES = {"edsr": Edsr, "edsr-rep": RepEdsr, "rfdn": Rfdn}


def fuse_for_inference(model):
    """Replaces every shallow residual block and re-parameterised conv by its single-conv equivalent (for export)."""
    for name, child in model.named_children():
        if isinstance(child, (ShallowResidual, RepConv3x3)):
            setattr(model, name, child.fused())
        else:
            fuse_for_inference(child)
    return model


def is_edsr(architecture):
    return architecture in ("edsr", "edsr-rep")


def grown_edsr_state(loaded, loaded_blocks, model):
    """Weights for a deeper EDSR from a shallower one's: its blocks come first, the body's closing conv moves to
    its new index, and each added block's last conv starts at zero, so the added blocks are identities and the
    deeper model starts out computing exactly the shallower one's output (then training uses the new depth)."""
    blocks = sum(isinstance(m, ResBlock) for m in model.body)
    state = model.state_dict()
    grown = {}
    for key, value in loaded.items():
        parts = key.split(".")
        if parts[0] == "body" and parts[1] == str(loaded_blocks):
            parts[1] = str(blocks)
        grown[".".join(parts)] = value
    for index in range(loaded_blocks, blocks):
        grown[f"body.{index}.body.0.weight"] = state[f"body.{index}.body.0.weight"]
        grown[f"body.{index}.body.0.bias"] = state[f"body.{index}.body.0.bias"]
        grown[f"body.{index}.body.2.weight"] = torch.zeros_like(state[f"body.{index}.body.2.weight"])
        grown[f"body.{index}.body.2.bias"] = torch.zeros_like(state[f"body.{index}.body.2.bias"])
    return grown


def build(architecture, scale, blocks, features):
    if architecture not in ARCHITECTURES:
        raise ValueError(f"unknown architecture {architecture!r}; choose one of {', '.join(ARCHITECTURES)}")
    return ARCHITECTURES[architecture](scale, blocks=blocks, features=features)


def macs_per_input_pixel(model, size=32):
    """Multiply-adds of the convolutions per low-resolution input pixel, counted from a real forward pass."""
    total = 0

    def hook(module, _inputs, output):
        nonlocal total
        k = module.kernel_size[0] * module.kernel_size[1] * module.in_channels // module.groups
        total += output.numel() * k

    handles = [m.register_forward_hook(hook) for m in model.modules() if isinstance(m, (nn.Conv2d, RepConv3x3))]
    with torch.no_grad():
        model(torch.zeros(1, 3, size, size))
    for h in handles:
        h.remove()
    return total / (size * size)
