"""thread.json: the three programs of the PyTorch forum thread "ReLU forward, leaky ReLU backward".

Each is a torch.autograd.Function written as the thread writes it; surrograd users write the
same with defineFunction. Inputs hold exact zeros (and -0), where the conventions differ.
"""
import torch

from cases import randn, reseed
from encode import tensor_json
from ops_elementwise import fmt


class NSReLU(torch.autograd.Function):
    """Forward ReLU; backward scales the gradient by 0.1 where x < 0 (so x == 0 passes 1)."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x.relu()

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        grad = grad.clone()
        grad[x < 0] *= 0.1
        return grad


class FWBWMismatch(torch.autograd.Function):
    """The value of x_forward, the gradient to x_backward (summed to its shape)."""

    @staticmethod
    def forward(ctx, x_forward, x_backward):
        ctx.backward_shape = x_backward.shape
        return x_forward.clone()

    @staticmethod
    def backward(ctx, grad):
        return None, grad.sum_to_size(ctx.backward_shape)


class LeakyReLU(torch.autograd.Function):
    """A hand-written leaky ReLU with a non-tensor slope; derivative x > 0 ? 1 : slope (PyTorch's)."""

    @staticmethod
    def forward(ctx, x, negative_slope):
        ctx.save_for_backward(x)
        ctx.negative_slope = negative_slope
        return torch.where(x > 0, x, x * negative_slope)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return torch.where(x > 0, grad, grad * ctx.negative_slope), None


def with_zeros(*shape):
    """Random values with exact 0 and -0 planted at fixed places."""
    t = randn(*shape).reshape(-1)
    t[0] = 0.0
    t[3] = -0.0
    t[len(t) // 2] = 0.0
    return t.reshape(shape)


def run(program, name, inputs, args=()):
    leaves = [t.clone().requires_grad_(True) for t in inputs]
    out = program.apply(*leaves, *args)
    cot = randn(*out.shape)
    out.backward(cot)
    return {
        "name": name,
        "program": program.__name__,
        "inputs": [tensor_json(t) for t in inputs],
        "args": list(args),
        "out": tensor_json(out),
        "cotangent": tensor_json(cot),
        "grads": [None if t.grad is None else tensor_json(t.grad) for t in leaves],
    }


def check_leaky_matches_builtin(case_inputs, slope):
    x = case_inputs.clone().requires_grad_(True)
    y = torch.nn.functional.leaky_relu(x, slope)
    y.sum().backward()
    x2 = case_inputs.clone().requires_grad_(True)
    LeakyReLU.apply(x2, slope).sum().backward()
    assert torch.equal(x.grad, x2.grad) and torch.equal(y, LeakyReLU.apply(case_inputs, slope))


def build():
    reseed(2)
    cases = []
    for shape in [(3, 5), (7,), ()]:
        x = with_zeros(*shape) if shape != () else torch.tensor(0.0)
        cases.append(run(NSReLU, f"NSReLU/{fmt(shape)}", [x]))
    x_forward = randn(3, 5)
    for shape in [(3, 5), (1, 5), (5,)]:
        cases.append(run(FWBWMismatch, f"FWBWMismatch/x_backward {fmt(shape)}", [x_forward, randn(*shape)]))
    for slope in [0.01, 0.2]:
        x = with_zeros(3, 5)
        check_leaky_matches_builtin(x, slope)
        cases.append(run(LeakyReLU, f"LeakyReLU/negative_slope={slope}", [x], (slope,)))
    return {
        "description": "Programs of the thread, as torch.autograd.Function. grads[i] = d sum(out * cotangent) / d inputs[i]; null where PyTorch leaves .grad None. args are the non-tensor arguments after the tensors.",
        "cases": cases,
    }
