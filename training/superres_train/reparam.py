"""A 3x3 convolution trained as a sum of linear branches and run as one plain 3x3 conv (after ECBSR and
RepVGG): the 3x3 itself, a 1x1, a 1x1 expanding to twice the channels followed by a 3x3, and a 1x1 followed
by fixed Sobel-x, Sobel-y and Laplacian filters with a learnt scale per channel. Every branch is linear
and has no bias of its own, so the sum is exactly one 3x3 kernel.

The kernel is merged at every forward pass and convolved once ("online" re-parameterisation), so training
costs what the plain conv costs, and training and export compute the same function, borders included.
What the branches change is the optimisation: the merged kernel moves along more directions per step
(the centre tap and the edge filters get their own parameters), which is where the reported gains of
these blocks over a plain conv trained alike come from.

The parameters `weight` and `bias` are the plain 3x3 branch, under the same names as nn.Conv2d's, and every
other branch adds nothing at the start (one factor of each is zero): a plain model's checkpoint loads into
this one and computes the same output until training moves the new branches.
"""
import torch
from torch import nn
from torch.nn import functional as F

SOBEL_X = [[-1.0, 0.0, 1.0], [-2.0, 0.0, 2.0], [-1.0, 0.0, 1.0]]
SOBEL_Y = [[-1.0, -2.0, -1.0], [0.0, 0.0, 0.0], [1.0, 2.0, 1.0]]
LAPLACIAN = [[0.0, 1.0, 0.0], [1.0, -4.0, 1.0], [0.0, 1.0, 0.0]]


class RepConv3x3(nn.Module):
    def __init__(self, in_channels, out_channels, kernel_size=3, padding=1, expansion=2):
        super().__init__()
        if kernel_size != 3 or padding != 1:
            raise ValueError("RepConv3x3 stands only for a 3x3 conv with padding 1")
        self.in_channels, self.out_channels = in_channels, out_channels
        self.kernel_size, self.groups = (3, 3), 1  # as nn.Conv2d's, for counting multiply-adds
        plain = nn.Conv2d(in_channels, out_channels, 3, padding=1)
        self.weight = nn.Parameter(plain.weight.detach().clone())
        self.bias = nn.Parameter(plain.bias.detach().clone())
        hidden = expansion * out_channels
        self.point = nn.Parameter(torch.zeros(out_channels, in_channels))
        # Of the expanding branch's pair, only the second starts at zero: the first then gets a gradient as
        # soon as the second moves, where two zeros would both stay at zero.
        self.expand = nn.Parameter(torch.randn(hidden, in_channels) * (1.0 / in_channels) ** 0.5)
        self.expand_conv = nn.Parameter(torch.zeros(out_channels, hidden, 3, 3))
        self.register_buffer("edge_masks", torch.tensor([SOBEL_X, SOBEL_Y, LAPLACIAN]))
        self.edge_point = nn.Parameter(torch.zeros(3, out_channels, in_channels))
        self.edge_scale = nn.Parameter(torch.ones(3, out_channels))

    def kernel(self):
        k = self.weight + F.pad(self.point[:, :, None, None], (1, 1, 1, 1))
        k = k + torch.einsum("oehw,ei->oihw", self.expand_conv, self.expand)
        edges = (self.edge_scale[:, :, None] * self.edge_point)[..., None, None] * self.edge_masks[:, None, None]
        return k + edges.sum(dim=0)

    def forward(self, x):
        return F.conv2d(x, self.kernel(), self.bias, padding=1)

    def fused(self):
        """The plain nn.Conv2d this stands for (for export)."""
        with torch.no_grad():
            return plain_conv3x3(self.kernel(), self.bias)


def plain_conv3x3(kernel, bias):
    """An nn.Conv2d (3x3, padding 1) holding a copy of the given kernel and bias: what a merged block exports as."""
    conv = nn.Conv2d(kernel.shape[1], kernel.shape[0], 3, padding=1)
    with torch.no_grad():
        conv.weight.copy_(kernel)
        conv.bias.copy_(bias)
    return conv
