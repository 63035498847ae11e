"""double-backward.json: gradients of gradients.

For f with inputs xs: L = sum(f(*xs) * cotangent); first[i] = dL/dxs[i] (with create_graph);
second[j] = d sum(first[wrt] * cotangent2) / d xs[j]. With both cotangents all ones this is
"d/dx of sum(dL/dx) where L = sum(f(x))"; the weighted variants catch transposed or mis-summed
second derivatives that all-ones seeds would hide.
"""
import torch

from cases import positive, randn, reseed
from encode import tensor_json


class Cube(torch.autograd.Function):
    """x**3 whose backward is written with differentiable tensor ops."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x**3

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return 3 * x * x * grad


FUNCTIONS = {
    "cube": lambda x: Cube.apply(x),
    "tanh": torch.tanh,
    "sigmoid": torch.sigmoid,
    "exp": torch.exp,
    "log": torch.log,
    "sqrt": torch.sqrt,
    "mulSelf": lambda x: x * x,
    "mul": lambda x, y: x * y,
    "div": lambda x, y: x / y,
    "powNumber3": lambda x: torch.pow(x, 3),
    "relu": torch.relu,
    "logSumExp": lambda x: torch.logsumexp(x, -1),
    "softmax": lambda x: torch.softmax(x, -1),
    "matmul": torch.matmul,
    "mlpLayer": lambda x, w: torch.tanh(x @ w).sum(-1),
}


def case(name, fn_name, inputs, wrt=0, weighted=False):
    leaves = [t.clone().requires_grad_(True) for t in inputs]
    out = FUNCTIONS[fn_name](*leaves)
    cot = randn(*out.shape) if weighted else torch.ones_like(out)
    first = torch.autograd.grad(out, leaves, cot, create_graph=True)
    cot2 = randn(*first[wrt].shape) if weighted else torch.ones_like(first[wrt])
    second = torch.autograd.grad(first[wrt], leaves, cot2, allow_unused=True)
    second = [torch.zeros_like(x) if g is None else g for g, x in zip(second, leaves)]
    return {
        "name": name,
        "fn": fn_name,
        "inputs": [tensor_json(t) for t in inputs],
        "out": tensor_json(out),
        "cotangent": tensor_json(cot),
        "firstGrads": [tensor_json(g) for g in first],
        "wrt": wrt,
        "cotangent2": tensor_json(cot2),
        "secondGrads": [tensor_json(g) for g in second],
    }


def build():
    reseed(5)
    cases = []
    for weighted in [False, True]:
        tag = "weighted" if weighted else "ones"
        for fn in ["cube", "tanh", "sigmoid", "exp", "mulSelf", "powNumber3", "relu"]:
            cases.append(case(f"{fn}/[2,3]/{tag}", fn, [randn(2, 3)], weighted=weighted))
        for fn in ["log", "sqrt"]:
            cases.append(case(f"{fn}/[2,3]/{tag}", fn, [positive(2, 3)], weighted=weighted))
        for fn in ["logSumExp", "softmax"]:
            cases.append(case(f"{fn}/[2,4]/axis=-1/{tag}", fn, [randn(2, 4)], weighted=weighted))
        for wrt, which in [(0, "x"), (1, "y")]:
            cases.append(case(f"mul/d(dL/d{which})/{tag}", "mul", [randn(2, 3), randn(2, 3)], wrt, weighted))
            cases.append(case(f"div/d(dL/d{which})/{tag}", "div", [randn(2, 3), positive(2, 3)], wrt, weighted))
            cases.append(case(f"matmul/[3,4]@[4,2]/d(dL/d{which})/{tag}", "matmul", [randn(3, 4), randn(4, 2)], wrt, weighted))
            cases.append(case(f"mlpLayer/d(dL/d{which})/{tag}", "mlpLayer", [randn(3, 4), randn(4, 2)], wrt, weighted))
    cases.append(case("cube/[]/weighted", "cube", [randn()], weighted=True))
    return {
        "description": "L = sum(fn(*inputs) * cotangent); firstGrads[i] = dL/d inputs[i]; secondGrads[j] = d sum(firstGrads[wrt] * cotangent2) / d inputs[j] (zeros where unused). fn: cube is a custom Function (forward x**3, backward 3*x*x*grad); mlpLayer is tanh(x @ w).sum(-1); logSumExp and softmax over axis -1; powNumber3 is pow(x, 3).",
        "cases": cases,
    }
