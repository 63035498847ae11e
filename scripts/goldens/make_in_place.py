"""in-place.json: in-place ops on tensors that are part of a graph (PyTorch's history rebase).

Each case starts from y = x * 2 (a non-leaf), applies its steps to y in place, and backpropagates
sum(y * cotangent) to x. A step is [op] or [op, arg]; an arg "x" is the input itself, "x<0" the
bool mask x < 0, a list [lo, hi] clamp's bounds. One case runs a torch.autograd.Function that
modifies its input in place and says so with ctx.mark_dirty.
"""
import torch

from cases import randn, reseed
from encode import tensor_json


def arg_value(arg, x):
    if arg == "x":
        return x
    if arg == "x<0":
        return x < 0
    return arg


def apply_step(y, step, x):
    op = step[0]
    args = [arg_value(a, x) for a in step[1:]]
    if op == "clamp_":
        return y.clamp_(*args[0])
    if op == "masked_fill_":
        return y.masked_fill_(args[0], args[1])
    return getattr(y, op)(*args)


class AddOneInPlace(torch.autograd.Function):
    """Adds 1 to its input in place and returns it (ctx.mark_dirty), as a user may write."""

    @staticmethod
    def forward(ctx, t):
        t.add_(1)
        ctx.mark_dirty(t)
        return t

    @staticmethod
    def backward(ctx, grad):
        return grad


def run(name, steps, x0):
    x = x0.clone().requires_grad_(True)
    y = x * 2
    for step in steps:
        if step[0] == "AddOneInPlace":
            y = AddOneInPlace.apply(y)
        else:
            apply_step(y, step, x)
    cot = randn(*y.shape)
    y.backward(cot)
    return {"name": name, "steps": steps, "x": tensor_json(x0), "out": tensor_json(y), "cotangent": tensor_json(cot), "grad": tensor_json(x.grad)}


def build():
    reseed(5)
    x = randn(2, 3)
    cases = [
        # The program: y = x·2; y += 1; y *= x; y -= 0.5; relu in place.
        run("chain add_ mul_ sub_ relu_", [["add_", 1], ["mul_", "x"], ["sub_", 0.5], ["relu_"]], x),
        run("div_ pow_ neg_", [["div_", "x"], ["pow_", 2], ["neg_"]], x),
        run("clamp_ then mul_", [["clamp_", [-1, 1.5]], ["mul_", "x"]], x),
        run("masked_fill_", [["masked_fill_", "x<0", 3], ["mul_", "x"]], x),
        run("zero_ then add_", [["zero_"], ["add_", "x"]], x),
        run("fill_ then mul_", [["fill_", 2.5], ["mul_", "x"]], x),
        run("mark_dirty Function", [["mul_", "x"], ["AddOneInPlace"], ["mul_", "x"]], x),
    ]
    return {
        "description": "In-place ops on y = x * 2, then sum(y * cotangent) backpropagated to x (PyTorch 1.13). steps: [op, args...]; 'x' is the input, 'x<0' its negative mask.",
        "cases": cases,
    }
