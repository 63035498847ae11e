"""Reductions (sum mean max logSumExp) and softmax/logSoftmax over the axes surrograd accepts."""
import torch

from cases import distinct, randn, vjp_case
from ops_elementwise import fmt

AXES = [None, 0, -1, [0, 2], 1, [-1, 0]]


def axis_label(axis):
    return "all" if axis is None else f"axis={axis}".replace(" ", "")


def reduce_cases():
    out = []
    for op in ["sum", "mean", "max", "logSumExp"]:
        make = distinct if op == "max" else randn
        for axis in AXES:
            for keep in [False, True]:
                kwargs = {"keepDims": keep} if axis is None else {"axis": axis, "keepDims": keep}
                out.append(vjp_case(f"{op}/[2,3,4]/{axis_label(axis)}/keepDims={keep}", op, [make(2, 3, 4)], kwargs))
        for shape in [(), (1,), (7,)]:
            out.append(vjp_case(f"{op}/{fmt(shape)}/all", op, [make(*shape)]))
        out.append(vjp_case(f"{op}/[3,1]/axis=1", op, [make(3, 1)], {"axis": 1}))
    for op in ["sum", "mean"]:
        # PyTorch: the sum of nothing is 0, the mean of nothing is NaN.
        out.append(vjp_case(f"{op}/[0,3]/all", op, [randn(0, 3)]))
        out.append(vjp_case(f"{op}/[0,3]/axis=0", op, [randn(0, 3)], {"axis": 0}))
        out.append(vjp_case(f"{op}/[0,3]/axis=1", op, [randn(0, 3)], {"axis": 1}))
    out += max_tie_cases()
    out += stability_cases()
    return out


def max_tie_cases():
    """amax shares the gradient evenly among tied maxima, for full and per-axis reductions."""
    full = torch.tensor([[1.0, 3.0, 3.0], [3.0, -2.0, 0.5]])
    rows = torch.tensor([[2.0, 2.0, 1.0, 2.0], [0.0, -1.0, 0.0, -3.0], [5.0, 4.0, 3.0, 2.0]])
    return [
        vjp_case("max/ties/[2,3]/all", "max", [full]),
        vjp_case("max/ties/[3,4]/axis=1", "max", [rows], {"axis": 1}),
        vjp_case("max/ties/[3,4]/axis=0/keepDims=true", "max", [rows.t().contiguous()], {"axis": 0, "keepDims": True}),
    ]


def stability_cases():
    """Inputs whose naive exp overflows in float32: a correct implementation shifts by the max."""
    big = torch.tensor([[1000.0, 1000.5, 999.0], [-1000.0, -999.0, -1001.0]])
    return [
        vjp_case("logSumExp/large/axis=-1", "logSumExp", [big], {"axis": -1}),
        vjp_case("softmax/large/axis=-1", "softmax", [big], {"axis": -1}),
        vjp_case("logSoftmax/large/axis=-1", "logSoftmax", [big], {"axis": -1}),
        vjp_case("logSumExp/-Infinity row/axis=-1", "logSumExp", [torch.tensor([[float("-inf"), 0.0, 1.0]])], {"axis": -1}),
    ]


def softmax_cases():
    out = []
    for op in ["softmax", "logSoftmax"]:
        for shape in [(2, 3, 4), (5,), (3, 1)]:
            for axis in [-1, 0]:
                out.append(vjp_case(f"{op}/{fmt(shape)}/axis={axis}", op, [randn(*shape)], {"axis": axis}))
        out.append(vjp_case(f"{op}/[2,3,4]/axis=1", op, [randn(2, 3, 4)], {"axis": 1}))
    return out


def cases():
    return reduce_cases() + softmax_cases()
