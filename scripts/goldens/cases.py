"""Building blocks for golden cases: deterministic inputs and the vector-Jacobian product.

Every number is computed by PyTorch in float32, so the goldens hold what a float32
library should produce. Inputs are drawn with 2 decimals so the files stay readable.
"""
import zlib

import torch
import torch.autograd.forward_ad as fwAD

from encode import tensor_json
from torch_ops import OPS

_gen = torch.Generator().manual_seed(20240601)


def reseed(seed):
    _gen.manual_seed(seed)


def randn(*shape, decimals=2, avoid_zero=True):
    """Normal float32 values rounded to `decimals`; exact zeros are moved off 0 (edge cases own 0)."""
    t = torch.randn(shape, generator=_gen, dtype=torch.float64)
    t = torch.round(t * 10**decimals) / 10**decimals
    if avoid_zero:
        t = torch.where(t == 0, torch.full_like(t, 0.25), t)
    return t.to(torch.float32)


def distinct(*shape):
    """Values with no ties, so max's gradient has a single winner per reduction."""
    while True:
        t = randn(*shape, decimals=3)
        flat = t.reshape(-1)
        if flat.unique().numel() == flat.numel():
            return t


def positive(*shape, low=0.2, high=3.0):
    t = torch.rand(shape, generator=_gen, dtype=torch.float64) * (high - low) + low
    return (torch.round(t * 100) / 100).to(torch.float32)


def randint(high, *shape):
    return torch.randint(0, high, shape, generator=_gen, dtype=torch.int32)


def cotangent_like(out):
    return randn(*out.shape)


def arg_json(a):
    return tensor_json(a) if isinstance(a, torch.Tensor) else a


def tangents_for(name, inputs):
    """A tangent per float input (None elsewhere), from a generator seeded by the case's name so
    adding cases never changes another case's numbers."""
    gen = torch.Generator().manual_seed(zlib.crc32(name.encode()))
    out = []
    for a in inputs:
        if isinstance(a, torch.Tensor) and a.dtype == torch.float32:
            t = torch.randn(a.shape, generator=gen, dtype=torch.float64)
            out.append((torch.round(t * 100) / 100).to(torch.float32))
        else:
            out.append(None)
    return out


def forward_ad(op, inputs, tangents, kwargs):
    """The output's tangent by torch.autograd.forward_ad: J . tangents in one forward pass."""
    with fwAD.dual_level():
        duals = [fwAD.make_dual(a, t) if t is not None else a for a, t in zip(inputs, tangents)]
        out = OPS[op](*duals, **kwargs)
        tangent = fwAD.unpack_dual(out).tangent
        primal = fwAD.unpack_dual(out).primal
        # (1.13 gives pow with a number exponent a float64 tangent; the library computes in float32)
        return torch.zeros_like(primal) if tangent is None else tangent.to(primal.dtype)


def vjp_case(name, op, inputs, kwargs=None, cotangent=None, **extra):
    """A case: OPS[op](*inputs, **kwargs), and the gradient of sum(out * cotangent) to each float tensor input."""
    kwargs = kwargs or {}
    leaves = []
    for a in inputs:
        if isinstance(a, torch.Tensor) and a.dtype == torch.float32:
            leaf = a.detach().clone().requires_grad_(True)
            leaves.append(leaf)
        else:
            leaves.append(a)
    out = OPS[op](*leaves, **kwargs)
    cot = cotangent_like(out) if cotangent is None else cotangent
    assert cot.shape == out.shape, (name, cot.shape, out.shape)
    diff = [a for a in leaves if isinstance(a, torch.Tensor) and a.requires_grad]
    got = torch.autograd.grad(out, diff, cot, allow_unused=True) if diff else []
    got = iter(got)
    grads = []
    for a in leaves:
        if isinstance(a, torch.Tensor) and a.requires_grad:
            g = next(got)
            grads.append(tensor_json(torch.zeros_like(a) if g is None else g))
        else:
            grads.append(None)
    case = {"name": name, "op": op, "inputs": [arg_json(a) for a in inputs]}
    if kwargs:
        case["kwargs"] = kwargs
    case.update({"out": tensor_json(out), "cotangent": tensor_json(cot), "grads": grads})
    tangents = tangents_for(name, inputs)
    if any(t is not None for t in tangents):
        case["tangents"] = [None if t is None else tensor_json(t) for t in tangents]
        case["jvp"] = tensor_json(forward_ad(op, inputs, tangents, kwargs))
    case.update(extra)
    return case


def value_case(name, op, inputs, kwargs=None):
    """A case for an op without a gradient (bool or int output, or a creation function): its value only."""
    kwargs = kwargs or {}
    out = OPS[op](*inputs, **kwargs)
    case = {"name": name, "op": op, "inputs": [arg_json(a) for a in inputs]}
    if kwargs:
        case["kwargs"] = kwargs
    case.update({"out": tensor_json(out), "cotangent": tensor_json(torch.zeros(out.shape)), "grads": [None for _ in inputs], "valueOnly": True})
    return case
