"""forward-ad.json: forward-mode AD beyond single ops, from torch.autograd.forward_ad and
torch.autograd.functional (PyTorch 1.13 has no torch.func).

  - "jvp": programs' output tangents for given tangents (J . v), including custom Functions with a
    `jvp` (the thread's ReLU with a leaky derivative; a two-input product with save_for_forward
    whose second input carries no tangent, so it arrives as zeros).
  - "reverseOverForward": the gradient of sum(tangent * cotangent) with respect to the primal.
  - "jacobian" and "hessian": full matrices by torch.autograd.functional.
The programs are written the same way in packages/conformance/src/programs/forward-ad.ts.
"""
import torch
import torch.autograd.forward_ad as fwAD
from torch.autograd.functional import hessian, jacobian

from cases import randn, reseed
from encode import tensor_json


class ReluLeakyTangent(torch.autograd.Function):
    """ReLU forward; backward and jvp both use leaky ReLU's derivative (slope 0.1), as the thread asks."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        ctx.save_for_forward(x)
        return x.clamp(min=0)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return torch.where(x > 0, grad, grad * 0.1)

    @staticmethod
    def jvp(ctx, tangent):
        (x,) = ctx.saved_tensors
        return torch.where(x > 0, tangent, tangent * 0.1)


class Product(torch.autograd.Function):
    """x * y * scale with a number argument; jvp gets zeros for an input without a tangent."""

    @staticmethod
    def forward(ctx, x, y, scale):
        ctx.save_for_forward(x, y)
        ctx.scale = scale
        return x * y * scale

    @staticmethod
    def backward(ctx, grad):
        raise RuntimeError("not used")

    @staticmethod
    def jvp(ctx, tx, ty, _ts):
        x, y = ctx.saved_tensors
        return (tx * y + x * ty) * ctx.scale


X = None  # fixed data of the mlp program, drawn in build()


def mlp_loss(w, data):
    xs, v, target = data
    return ((torch.tanh(xs @ w) @ v - target) ** 2).mean()


PROGRAMS = {
    "tanhCubed": lambda x: (torch.tanh(x) ** 3).sum(),
    "logSumExpQuad": lambda x: torch.logsumexp(x * 2 + x * x, 0),
    "softmaxSigmoid": lambda x: torch.softmax(x, 0) * torch.sigmoid(x),
    "reluLeakyTangent": lambda x: ReluLeakyTangent.apply(x) * x,
    "product": lambda x, y: Product.apply(x, y, 2.0),
    "tanhMatVec": lambda w, x: torch.tanh(w @ x),
}


def jvp_of(fn, primals, tangents):
    with fwAD.dual_level():
        duals = [fwAD.make_dual(p, t) if t is not None else p for p, t in zip(primals, tangents)]
        out = fn(*duals)
        u = fwAD.unpack_dual(out)
        return u.primal.clone(), (torch.zeros_like(u.primal) if u.tangent is None else u.tangent.clone())


def jvp_case(name, program, primals, tangents, fn=None):
    out, tangent = jvp_of(fn or PROGRAMS[program], primals, tangents)
    return {
        "kind": "jvp",
        "name": name,
        "program": program,
        "primals": [tensor_json(p) for p in primals],
        "tangents": [None if t is None else tensor_json(t) for t in tangents],
        "out": tensor_json(out),
        "jvp": tensor_json(tangent),
    }


def reverse_over_forward_case(name, program, x, tangent):
    leaf = x.clone().requires_grad_(True)
    with fwAD.dual_level():
        out = PROGRAMS[program](fwAD.make_dual(leaf, tangent))
        t = fwAD.unpack_dual(out).tangent
    cot = randn(*t.shape)
    (g,) = torch.autograd.grad(t, leaf, cot)
    return {
        "kind": "reverseOverForward",
        "name": name,
        "program": program,
        "primals": [tensor_json(x)],
        "tangents": [tensor_json(tangent)],
        "cotangent": tensor_json(cot),
        "grad": tensor_json(g),
    }


def matrix_case(kind, name, program, primals, argnums=0):
    fn = PROGRAMS[program]
    if isinstance(argnums, int):
        f = lambda p: fn(*[p if i == argnums else q for i, q in enumerate(primals)])  # noqa: E731
        m = (hessian if kind == "hessian" else jacobian)(f, primals[argnums])
        matrices = [tensor_json(m)]
    else:
        m = jacobian(fn, tuple(primals))
        matrices = [tensor_json(t) for t in m]
    return {"kind": kind, "name": name, "program": program, "argnums": argnums, "primals": [tensor_json(p) for p in primals], "matrices": matrices}


def build():
    reseed(31)
    x5, t5 = randn(5), randn(5)
    x4, t4 = randn(4), randn(4)
    xs, v, target = randn(4, 3), randn(2), randn(4)
    w, tw = randn(3, 2), randn(3, 2)
    PROGRAMS["mlpLoss"] = lambda weights: mlp_loss(weights, (xs, v, target))
    y5 = randn(5)
    w34, x4b = randn(3, 4), randn(4)
    cases = [
        jvp_case("tanhCubed", "tanhCubed", [x5], [t5]),
        jvp_case("logSumExpQuad", "logSumExpQuad", [x4], [t4]),
        jvp_case("softmaxSigmoid", "softmaxSigmoid", [x4], [t4]),
        jvp_case("mlpLoss", "mlpLoss", [w], [tw]),
        jvp_case("reluLeakyTangent", "reluLeakyTangent", [x5], [t5]),
        jvp_case("product/y has no tangent", "product", [x5, y5], [t5, None]),
        jvp_case("product/both tangents", "product", [x5, y5], [t5, randn(5)]),
        reverse_over_forward_case("tanhCubed", "tanhCubed", x5, t5),
        reverse_over_forward_case("mlpLoss", "mlpLoss", w, tw),
        matrix_case("jacobian", "softmaxSigmoid", "softmaxSigmoid", [x4]),
        matrix_case("jacobian", "tanhMatVec/both arguments", "tanhMatVec", [w34, x4b], [0, 1]),
        matrix_case("hessian", "tanhCubed", "tanhCubed", [x5]),
        matrix_case("hessian", "logSumExpQuad", "logSumExpQuad", [x4]),
        matrix_case("hessian", "mlpLoss", "mlpLoss", [w]),
    ]
    return {"data": {"mlpLoss": [tensor_json(xs), tensor_json(v), tensor_json(target)]}, "cases": cases}
