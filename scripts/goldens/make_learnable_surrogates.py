"""learnable-surrogates.json: gradients to a surrogate's parameter, from SpikingJelly's primitives.

A spike's value does not depend on its surrogate's parameter, so a learnt parameter's gradient is
that of the surrogate's primitive σ(x; α), the smooth step whose derivative the surrogate is: what
SpikingJelly computes with `spiking=False`, where the forward pass is `primitive_function`. Each
primitive is written here in torch as SpikingJelly's `primitive_function` writes it, with α a
tensor that requires a gradient; surrograd's `heaviside(x, { surrogate, alpha: tensor })` must give
the same gradients to x and to α.
"""
import math

import torch

from encode import tensor_json

SJ = "spikingjelly/activation_based/surrogate.py (fangwei123456/spikingjelly)"


def sj_heaviside(x):
    return (x >= 0).to(x)


def sigmoid_primitive(x, alpha):
    """SpikingJelly sigmoid.primitive_function: (x·α).sigmoid()."""
    return (x * alpha).sigmoid()


def atan_primitive(x, alpha):
    """SpikingJelly atan.primitive_function: (π/2·α·x).atan() / π + 1/2."""
    return (math.pi / 2 * alpha * x).atan() / math.pi + 0.5


def soft_sign_primitive(x, alpha):
    """SpikingJelly soft_sign.primitive_function: (softsign(x·α) + 1) / 2."""
    return (torch.nn.functional.softsign(x * alpha) + 1.0) / 2.0


def erf_primitive(x, alpha):
    """SpikingJelly erf.primitive_function: erfc(−α·x) / 2."""
    return torch.special.erfc(-alpha * x) / 2.0


def piecewise_quadratic_primitive(x, alpha):
    """SpikingJelly piecewise_quadratic.primitive_function."""
    mask0 = (x > (1.0 / alpha)).to(x)
    mask1 = (x.abs() <= (1.0 / alpha)).to(x)
    return mask0 + mask1 * (-(alpha ** 2) / 2 * x.square() * x.sign() + alpha * x + 0.5)


def piecewise_exp_primitive(x, alpha):
    """SpikingJelly piecewise_exp.primitive_function."""
    mask_nonnegative = sj_heaviside(x)
    mask_sign = mask_nonnegative * 2.0 - 1.0
    exp_x = (mask_sign * x * -alpha).exp() / 2.0
    return mask_nonnegative - exp_x * mask_sign


# (surrograd surrogate, its option name, α, α's shape or None for a scalar, primitive, SpikingJelly function)
KINDS = [
    ("sigmoid", "slope", 4.0, None, sigmoid_primitive, "sigmoid.primitive_function (Sigmoid, alpha → slope)"),
    ("atan", "alpha", 2.0, None, atan_primitive, "atan.primitive_function (ATan)"),
    ("atan", "alpha", 2.0, [6], atan_primitive, "atan.primitive_function (ATan), α per neuron"),
    ("softSign", "alpha", 2.0, None, soft_sign_primitive, "soft_sign.primitive_function (SoftSign)"),
    ("erf", "alpha", 2.0, None, erf_primitive, "erf.primitive_function (Erf)"),
    ("piecewiseQuadratic", "alpha", 1.0, None, piecewise_quadratic_primitive, "piecewise_quadratic.primitive_function (PiecewiseQuadratic)"),
    ("piecewiseExp", "alpha", 1.5, None, piecewise_exp_primitive, "piecewise_exp.primitive_function (PiecewiseExp)"),
]


def build():
    gen = torch.Generator().manual_seed(11)
    # [4, 6]: a batch of 4 over 6 neurons; values off the kinks (±1/α) where conventions differ.
    x = (torch.round(torch.randn(4, 6, generator=gen, dtype=torch.float64) * 120) / 100 + 0.003).to(torch.float32)
    cotangent = (torch.round(torch.rand(4, 6, generator=gen, dtype=torch.float64) * 200 - 100) / 100).to(torch.float32)
    cases = []
    for surrogate, option, value, shape, primitive, fn in KINDS:
        alpha = torch.full(shape or [], value, dtype=torch.float32)
        if shape:
            alpha = alpha + torch.linspace(-0.5, 0.5, shape[0])
        alpha.requires_grad_(True)
        xg = x.clone().requires_grad_(True)
        (primitive(xg, alpha) * cotangent).sum().backward()
        cases.append(
            {
                "surrogate": surrogate,
                "option": option,
                "source": f"{SJ}: {fn}",
                "x": tensor_json(x),
                "param": tensor_json(alpha.detach()),
                "cotangent": tensor_json(cotangent),
                "gradX": tensor_json(xg.grad),
                "gradParam": tensor_json(alpha.grad),
            }
        )
    return {
        "description": "heaviside(x, { surrogate, [option]: param tensor }): the gradients to x and to the parameter, as SpikingJelly's primitive_function (the spiking=False forward) gives them.",
        "cases": cases,
    }
