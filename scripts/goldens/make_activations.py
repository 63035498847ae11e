"""activations.json: PyTorch's activations and the straight-through formulations of surrograd's surrogates.

Two kinds of case, each an input grid (with exact 0, -0, +-Inf, NaN, tiny and huge values), the
output, a cotangent and the gradient of sum(out * cotangent):
  - "pytorch": activations PyTorch defines (relu, leaky_relu, elu, gelu, silu, ...), as PyTorch computes them.
  - "straightThrough": a surrogate written the slow way, prim(x) + (forward(x) - prim(x)).detach(),
    the pattern users write by hand in PyTorch; surrograd's fused call must agree with it.
"""
import zlib

import torch
import torch.autograd.forward_ad as fwAD
import torch.nn.functional as F

from cases import randn, reseed
from encode import tensor_json

SPECIALS = [0.0, -0.0, float("inf"), float("-inf"), float("nan"), 1e-30, -1e-30, 1e30, -1e30, 1.0, -1.0, 0.5, -0.5]


def grid():
    """Specials, then a dense sweep of [-4, 4], then random normals."""
    sweep = torch.linspace(-4, 4, 81)
    return torch.cat([torch.tensor(SPECIALS), sweep, randn(40) * 3])


def forward_ad(fn, x, tangent):
    """fn's output tangent by torch.autograd.forward_ad. For the straight-through formulations the
    detached part has no tangent, so this is the surrogate derivative times the tangent."""
    with fwAD.dual_level():
        out = fn(fwAD.make_dual(x, tangent))
        t = fwAD.unpack_dual(out).tangent
        return torch.zeros_like(x) if t is None else t.to(x.dtype)


def case(kind, name, fn, options, x):
    leaf = x.clone().requires_grad_(True)
    out = fn(leaf)
    cot = randn(*out.shape)
    out.backward(cot)
    gen = torch.Generator().manual_seed(zlib.crc32(f"{kind}/{name}/{options}".encode()))
    tangent = (torch.round(torch.randn(x.shape, generator=gen, dtype=torch.float64) * 100) / 100).to(torch.float32)
    return {
        "kind": kind,
        "name": name,
        "options": options,
        "input": tensor_json(x),
        "out": tensor_json(out),
        "cotangent": tensor_json(cot),
        "grad": tensor_json(leaf.grad),
        "tangent": tensor_json(tangent),
        "jvp": tensor_json(forward_ad(fn, x, tangent)),
    }


def straight_through(forward, prim):
    # The detached term reads x.detach(): the same value, and forward AD never meets ops it lacks (heaviside).
    return lambda x: prim(x) + (forward(x.detach()) - prim(x.detach()))


def build():
    reseed(7)
    x = grid()
    pytorch = [
        ("relu", {}, F.relu),
        ("leakyRelu", {"slope": 0.01}, lambda v: F.leaky_relu(v, 0.01)),
        ("leakyRelu", {"slope": 0.2}, lambda v: F.leaky_relu(v, 0.2)),
        ("elu", {"alpha": 1.0}, lambda v: F.elu(v, 1.0)),
        ("elu", {"alpha": 0.5}, lambda v: F.elu(v, 0.5)),
        ("gelu", {}, F.gelu),
        ("gelu", {"approximate": "tanh"}, lambda v: F.gelu(v, approximate="tanh")),
        ("silu", {}, F.silu),
        ("sigmoid", {}, torch.sigmoid),
        ("tanh", {}, torch.tanh),
        ("softplus", {"beta": 1, "threshold": 20}, F.softplus),
        ("softplus", {"beta": 2, "threshold": 5}, lambda v: F.softplus(v, beta=2, threshold=5)),
        ("hardtanh", {"minVal": -1, "maxVal": 1}, F.hardtanh),
        ("hardtanh", {"minVal": -0.5, "maxVal": 2}, lambda v: F.hardtanh(v, -0.5, 2.0)),
    ]
    heaviside = lambda v: torch.heaviside(v, torch.tensor(0.0))  # noqa: E731  x > 0 ? 1 : 0
    stes = [
        ("reluWithLeakyGrad", {"slope": 0.01}, F.relu, lambda v: F.leaky_relu(v, 0.01)),
        ("reluWithLeakyGrad", {"slope": 0.1}, F.relu, lambda v: F.leaky_relu(v, 0.1)),
        # fast sigmoid: prim x / (1 + k|x|) has derivative 1 / (1 + k|x|)^2 (SuperSpike, snnTorch).
        ("heaviside", {"surrogate": "fastSigmoid", "slope": 25}, heaviside, lambda v: v / (1 + 25 * v.abs())),
        ("heaviside", {"surrogate": "fastSigmoid", "slope": 5}, heaviside, lambda v: v / (1 + 5 * v.abs())),
        # BinaryNet's estimator passes the gradient where |x| <= 1, bounds included: clamp's gradient (hardtanh's excludes them).
        ("signSTE", {}, torch.sign, lambda v: torch.clamp(v, -1, 1)),
    ]
    cases = [case("pytorch", name, fn, options, x) for name, options, fn in pytorch]
    # Straight-through formulations have no defined gradient at NaN/Inf inputs of the primitive; use finite inputs.
    finite = x[torch.isfinite(x) & (x.abs() < 1e20)]
    cases += [case("straightThrough", name, straight_through(fwd, prim), options, finite) for name, options, fwd, prim in stes]
    return {"cases": cases}
