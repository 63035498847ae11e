"""hooks.json: tensor hooks and nn.Module hooks, and the gradients they give (PyTorch 1.13).

tensor: x (leaf) → y = x * 2 (retain_grad, which sees the hooks' result) → z = sum(y * y * w); hooks on y: g * 3 then g + 1;
a hook on x: g - 0.5. Reports y.grad (after the hooks) and x.grad.
module: Linear(3, 2) with given weights; a forward pre-hook doubles the input, a forward hook adds
1 to the output, a full backward hook halves the input's gradient. Reports the output, x.grad,
weight.grad, bias.grad and what the backward hook saw.
"""
import torch

from cases import randn, reseed
from encode import tensor_json


def tensor_case():
    x0 = randn(4)
    w = randn(4)
    x = x0.clone().requires_grad_(True)
    y = x * 2
    y.register_hook(lambda g: g * 3)
    y.register_hook(lambda g: g + 1)
    # After the hooks, so that 1.13 runs it last, as PyTorch 2.x always does (and surrograd).
    y.retain_grad()
    x.register_hook(lambda g: g - 0.5)
    z = (y * y * w).sum()
    z.backward()
    return {"x": tensor_json(x0), "w": tensor_json(w), "yGrad": tensor_json(y.grad), "xGrad": tensor_json(x.grad)}


def module_case():
    lin = torch.nn.Linear(3, 2)
    with torch.no_grad():
        lin.weight.copy_(randn(2, 3))
        lin.bias.copy_(randn(2))
    seen = {}

    def pre(module, inputs):
        return (inputs[0] * 2,)

    def post(module, inputs, output):
        return output + 1

    def back(module, grad_input, grad_output):
        seen["gradInput"] = grad_input[0].clone()
        seen["gradOutput"] = grad_output[0].clone()
        return (grad_input[0] * 0.5,)

    lin.register_forward_pre_hook(pre)
    lin.register_forward_hook(post)
    lin.register_full_backward_hook(back)
    x0 = randn(4, 3)
    x = x0.clone().requires_grad_(True)
    out = lin(x)
    cot = randn(4, 2)
    out.backward(cot)
    return {
        "weight": tensor_json(lin.weight.detach()),
        "bias": tensor_json(lin.bias.detach()),
        "x": tensor_json(x0),
        "out": tensor_json(out),
        "cotangent": tensor_json(cot),
        "xGrad": tensor_json(x.grad),
        "weightGrad": tensor_json(lin.weight.grad),
        "biasGrad": tensor_json(lin.bias.grad),
        "hookGradInput": tensor_json(seen["gradInput"]),
        "hookGradOutput": tensor_json(seen["gradOutput"]),
    }


def build():
    reseed(7)
    return {
        "description": "Tensor hooks (order, retain_grad after hooks, leaf hooks) and nn.Module forward pre-, forward and full backward hooks, PyTorch 1.13.",
        "tensor": tensor_case(),
        "module": module_case(),
    }
