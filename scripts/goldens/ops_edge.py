"""Elementwise ops and activations at 0, -0, ±Infinity, NaN, tiny and huge inputs.

The cotangent is all ones, so each gradient is the derivative PyTorch uses at that
point. `signedZeros` marks cases whose output sign of zero is IEEE arithmetic (not a
convention), which the kit therefore checks. `lenientGradsAtNaN`: the derivative at a NaN
input is a kernel accident in PyTorch (relu'(NaN) = 1, abs'(NaN) = 0, maximum(NaN, y) sends
the gradient to both sides) and undefined in WGSL, so the kit doesn't hold backends to it.
"""
import torch

from cases import vjp_case
from torch_ops import OPS

INF = float("inf")
NAN = float("nan")
EDGE = [0.0, -0.0, INF, -INF, NAN, 1e-30, -1e-30, 1e30, -1e30, 1.0, -1.0]
EDGE_NONNEG = [0.0, 1e-30, 0.5, 1.0, 2.5, 1e30, INF, NAN]


def edge(values=EDGE):
    return torch.tensor(values, dtype=torch.float32)


def ones_for(op, inputs, kwargs=None):
    leaves = [a.detach() if isinstance(a, torch.Tensor) else a for a in inputs]
    return torch.ones_like(OPS[op](*leaves, **(kwargs or {})))


def edge_case(name, op, inputs, kwargs=None, signed=False):
    extra = {"signedZeros": True} if signed else {}
    if any(isinstance(a, torch.Tensor) and a.is_floating_point() and bool(a.isnan().any()) for a in inputs):
        extra["lenientGradsAtNaN"] = True
    return vjp_case(f"edge/{name}", op, inputs, kwargs, cotangent=ones_for(op, inputs, kwargs), **extra)


def unary_edge_cases():
    out = [edge_case(op, op, [edge()], signed=op in ("neg", "abs", "sqrt")) for op in
           ["neg", "exp", "log", "sqrt", "abs", "relu", "sigmoid", "tanh"]]
    out.append(edge_case("exp/near overflow", "exp", [torch.tensor([88.0, 89.0, -87.0, -80.0])]))
    out.append(edge_case("sigmoid/saturating", "sigmoid", [torch.tensor([-100.0, -30.0, 30.0, 100.0])]))
    out.append(edge_case("tanh/saturating", "tanh", [torch.tensor([-100.0, -10.0, 10.0, 100.0])]))
    for slope in [0.01, 0.2]:
        out.append(edge_case(f"leakyRelu/slope={slope}", "leakyRelu", [edge()], {"slope": slope}))
    out.append(edge_case("clamp/-1,1", "clamp", [edge()], {"min": -1, "max": 1}))
    return out


def cross(values=EDGE):
    """Every pair of edge values, as two flat tensors."""
    a = [x for x in values for _ in values]
    b = [y for _ in values for y in values]
    return edge(a), edge(b)


def binary_edge_cases():
    out = []
    for op in ["add", "sub", "mul", "maximum", "minimum"]:
        a, b = cross()
        out.append(edge_case(f"{op}/all pairs", op, [a, b], signed=op in ("add", "sub", "mul")))
    # Partners are full tensors, not broadcast scalars, so each element's gradient stays visible.
    n = len(EDGE)
    out.append(edge_case("div/edge numerator", "div", [edge(), torch.full((n,), 2.0)], signed=True))
    out.append(edge_case("div/edge denominator", "div", [torch.full((n,), 3.0), edge()], signed=True))
    for exponent in [2, 0.5, 3]:
        out.append(edge_case(f"pow/edge base/number {exponent}", "pow", [edge(EDGE_NONNEG), exponent]))
    m = len(EDGE_NONNEG)
    out.append(edge_case("pow/edge base/tensor exponent 1.5", "pow", [edge(EDGE_NONNEG), torch.full((m,), 1.5)]))
    out.append(edge_case("pow/base 2/edge exponent", "pow", [torch.full((n,), 2.0), edge()]))
    # PyTorch masks the exponent's gradient to 0 where the base is 0 (instead of 0 * log 0 = NaN).
    zero_base = torch.tensor([0.0, 0.0, 0.0, 2.0])
    out.append(edge_case("pow/zero base/tensor exponent", "pow", [zero_base, torch.tensor([1.5, 2.0, 0.0, 0.5])]))
    cond = torch.tensor([True, False] * 5 + [True])
    out.append(edge_case("where/non-finite in unselected branch", "where", [cond, edge(), edge(EDGE[::-1])]))
    return out


def cases():
    return unary_edge_cases() + binary_edge_cases()
