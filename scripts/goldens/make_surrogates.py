"""surrogates.json: heaviside surrogates against the libraries they come from.

PyTorch has none of these, so each is written here in torch as its source writes it — the spike
of its forward pass and the formula of its backward — with the file and function it is read from.
surrograd's `heaviside(x, { surrogate, ...options })` must give the same spikes and gradients.
"""
import math

import torch

from encode import tensor_json

SJ = "spikingjelly/activation_based/surrogate.py (fangwei123456/spikingjelly)"
NORSE = "norse/torch/functional/threshold.py (norse/norse)"
SNNTORCH = "snntorch/surrogate.py (jeshraghian/snntorch)"


def snntorch_spike(x):
    """snnTorch's spike in every surrogate's forward: (input_ > 0)."""
    return (x > 0).to(x)


def fast_sigmoid_backward(x, slope):
    """snnTorch FastSigmoid.backward: 1 / (slope |x| + 1)²."""
    return 1 / (slope * x.abs() + 1.0) ** 2


def atan_backward(x, alpha):
    """snnTorch ATan.backward: alpha / 2 / (1 + (pi / 2 · alpha · x)²)."""
    return alpha / 2 / (1 + (torch.pi / 2 * alpha * x).pow(2))


def spike_rate_escape_backward(x, beta, slope):
    """snnTorch SpikeRateEscape.backward: slope · exp(-beta |x - 1|)."""
    return slope * torch.exp(-beta * torch.abs(x - 1))


def sparse_fast_sigmoid_backward(x, slope, b):
    """snnTorch SparseFastSigmoid.backward: 1 / (slope |x| + 1)² · (x > B)."""
    return 1 / (slope * torch.abs(x) + 1.0) ** 2 * (x > b).float()


def leaky_spike_operator_backward(x, slope):
    """snnTorch LeakySpikeOperator.backward: out + (not out) · slope, out = (x > 0)."""
    out = (x > 0).float()
    return out + (~out.bool()).float() * slope


def sigmoid_backward(x, slope):
    """snnTorch Sigmoid.backward: slope · exp(-slope x) / (exp(-slope x) + 1)².

    In float64: in float32, snnTorch's exp(-slope x) overflows below slope·x ≈ -88 and the gradient
    becomes inf/inf = NaN there; the formula's value (a tiny positive number) is what is checked.
    """
    e = torch.exp(-slope * x.double())
    return (slope * e / ((e + 1) ** 2)).to(x.dtype)


def sj_heaviside(x):
    """SpikingJelly's heaviside: (x >= 0)."""
    return (x >= 0).to(x)


def norse_heaviside(x):
    """Norse's heaviside: 0 where x <= 0, else 1."""
    return torch.where(x <= 0, torch.zeros_like(x), torch.ones_like(x))


def piecewise_quadratic_backward(x, alpha):
    """SpikingJelly piecewise_quadratic_backward: (-alpha² |x| + alpha), 0 where |x| > 1/alpha."""
    return (-(alpha**2) * x.abs() + alpha).masked_fill(x.abs() > (1 / alpha), 0)


def piecewise_exp_backward(x, alpha):
    """SpikingJelly piecewise_exp_backward: alpha / 2 · exp(-alpha |x|)."""
    return alpha / 2 * (-alpha * x.abs()).exp()


def soft_sign_backward(x, alpha):
    """SpikingJelly soft_sign_backward: 1 / (2 alpha (1/alpha + |x|)²)."""
    return 1 / (2 * alpha * (1 / alpha + x.abs()).pow(2))


def piecewise_leaky_relu_backward(x, w, c):
    """SpikingJelly piecewise_leaky_relu_backward: 1/(2w) where |x| < w, else c."""
    inside = x.abs() < w
    return torch.where(inside, torch.full_like(x, 1 / (2 * w)), torch.full_like(x, c))


def erf_backward(x, alpha):
    """SpikingJelly erf_backward: exp(-(x alpha)²) · alpha / sqrt(pi)."""
    return (-(x * alpha).pow(2)).exp() * (alpha / math.sqrt(math.pi))


def s2nn_backward(x, alpha, beta):
    """SpikingJelly s2nn.backward: alpha σ(alpha x)(1 - σ(alpha x)) where x < 0, else beta / (x + 1)."""
    sgax = torch.sigmoid(alpha * x)
    return torch.where(x < 0.0, alpha * sgax * (1.0 - sgax), beta / (x + 1.0))


def q_pseudo_spike_backward(x, alpha):
    """SpikingJelly q_pseudo_spike.backward: (1 + 2 / (alpha - 1) |x|)^(-alpha)."""
    return (1 + 2 / (alpha - 1) * x.abs()).pow(-alpha)


def heavi_tanh_backward(x, k):
    """Norse HeaviTanh.backward: 1 - tanh(x k)²."""
    return 1 - (x * k).tanh().pow(2)


def heavi_erfc_backward(x, k):
    """Norse HeaviErfc.backward: 2 exp(-(k x)²) / sqrt(pi)."""
    return (2 * torch.exp(-(k * x).pow(2))) / math.sqrt(math.pi)


def heavi_circ_backward(x, alpha):
    """Norse HeaviCirc.backward: (-(x² / (2 (alpha² + x²)^1.5)) + 1 / (2 sqrt(alpha² + x²))) · 2 alpha."""
    return (-(x.pow(2) / (2 * (alpha**2 + x.pow(2)).pow(1.5))) + 1 / (2 * (alpha**2 + x.pow(2)).sqrt())) * 2 * alpha


def norse_superspike_backward(x, alpha):
    """Norse SuperSpike.backward (norse/torch/functional/superspike.py): 1 / (alpha |x| + 1)²."""
    return 1 / (alpha * torch.abs(x) + 1.0).pow(2)


def triangle_backward(x, alpha):
    """Norse Triangle.backward: alpha · relu(1 - |x|)."""
    return alpha * torch.relu(1 - x.abs())


# (our surrogate name, our options, source's forward, source's backward, citation)
def super_spike_backward(x, alpha):
    """SpikingJelly super_spike_backward: alpha / (|x| + 1)²."""
    return alpha / torch.pow(torch.abs(x) + 1.0, 2)


def rect_backward(x, alpha):
    """SpikingJelly rect_backward: alpha · (|x| < 0.5 / alpha)."""
    return alpha * (x.abs() < 0.5 / alpha).to(x)


def log_tailed_relu_backward(x, alpha):
    """SpikingJelly log_tailed_relu_backward: alpha for x ≤ 0, 1 for 0 < x ≤ 1, 1/x above."""
    grad_x = torch.ones_like(x)
    grad_x[x > 1.0] = 1.0 / x[x > 1.0]
    grad_x[x <= 0.0] = alpha
    return grad_x


def snntorch_triangular_backward(x, threshold):
    """snnTorch Triangular.backward: grad · threshold, negated where input_ >= 0."""
    grad = torch.ones_like(x) * threshold
    grad[x >= 0] = -grad[x >= 0]
    return grad


def snntorch_heaviside_backward(x):
    """snnTorch Heaviside.backward: grad · out, out = (input_ > 0)."""
    return (x > 0).float()


SPYX = "src/spyx/axn.py (kmheckel/spyx)"


def spyx_heaviside(x):
    """Spyx's heaviside: jnp.where(x > 0, 1, 0)."""
    return (x > 0).to(x)


def spyx_boxcar_backward(x, width, height):
    """Spyx grad_boxcar: h · heaviside(-(|x| - width/2))."""
    return height * spyx_heaviside(-(torch.abs(x) - width / 2))


def spyx_arctan_backward(x, k):
    """Spyx grad_arctan: 1 / ((1 + (k·pi·x)²)·pi)."""
    return 1 / ((1 + (k * torch.pi * x) ** 2) * torch.pi)


def spyx_superspike_backward(x, k):
    """Spyx grad_superspike: 1 / (1 + k|x|)²."""
    return 1 / (1 + k * torch.abs(x)) ** 2


def spyx_triangle_backward(x, k):
    """Spyx grad_triangle: max(0, 1 − |k·x|)."""
    return torch.clamp(1 - torch.abs(k * x), min=0)


def spyx_tanh_backward(x, k):
    """Spyx grad_tanh: 4 / (e^(−kx) + e^(kx))²."""
    return 4 / (torch.exp(-k * x) + torch.exp(k * x)) ** 2


LAVA_DL = "src/lava/lib/dl/slayer/spike/spike.py (lava-nc/lava-dl)"


def slayer_spike(x):
    """Lava-dl Spike.forward: (voltage >= threshold), here x = voltage − threshold."""
    return (x >= 0).to(x)


def slayer_backward(x, tau_rho, scale_rho):
    """Lava-dl _spike_backward (graded_spike False): scale_rho / 2 / tau_rho · exp(−|x| / tau_rho)."""
    return scale_rho / 2 / tau_rho * torch.exp(-torch.abs(x) / tau_rho)


KINDS = [
    ("piecewiseQuadratic", {"alpha": 1.0}, sj_heaviside, lambda x: piecewise_quadratic_backward(x, 1.0), f"{SJ}: PiecewiseQuadratic(alpha=1.0), piecewise_quadratic_backward"),
    ("piecewiseQuadratic", {"alpha": 2.5}, sj_heaviside, lambda x: piecewise_quadratic_backward(x, 2.5), f"{SJ}: PiecewiseQuadratic(alpha=2.5), piecewise_quadratic_backward"),
    ("piecewiseExp", {"alpha": 1.0}, sj_heaviside, lambda x: piecewise_exp_backward(x, 1.0), f"{SJ}: PiecewiseExp(alpha=1.0), piecewise_exp_backward"),
    ("piecewiseExp", {"alpha": 3.0}, sj_heaviside, lambda x: piecewise_exp_backward(x, 3.0), f"{SJ}: PiecewiseExp(alpha=3.0), piecewise_exp_backward"),
    ("softSign", {"alpha": 2.0}, sj_heaviside, lambda x: soft_sign_backward(x, 2.0), f"{SJ}: SoftSign(alpha=2.0), soft_sign_backward"),
    ("softSign", {"alpha": 0.5}, sj_heaviside, lambda x: soft_sign_backward(x, 0.5), f"{SJ}: SoftSign(alpha=0.5), soft_sign_backward"),
    ("piecewiseLeaky", {"width": 1.0, "leak": 0.01}, sj_heaviside, lambda x: piecewise_leaky_relu_backward(x, 1.0, 0.01), f"{SJ}: PiecewiseLeakyReLU(w=1., c=0.01), piecewise_leaky_relu_backward"),
    ("piecewiseLeaky", {"width": 0.5, "leak": 0.1}, sj_heaviside, lambda x: piecewise_leaky_relu_backward(x, 0.5, 0.1), f"{SJ}: PiecewiseLeakyReLU(w=0.5, c=0.1), piecewise_leaky_relu_backward"),
    ("triangular", {"width": 1.0, "scale": 0.3}, norse_heaviside, lambda x: triangle_backward(x, 0.3), f"{NORSE}: triangle_fn(alpha=0.3), Triangle.backward"),
    ("straightThrough", {}, snntorch_spike, torch.ones_like, f"{SNNTORCH}: straight_through_estimator(), StraightThroughEstimator.backward"),
    ("fastSigmoid", {"slope": 25.0}, snntorch_spike, lambda x: fast_sigmoid_backward(x, 25.0), f"{SNNTORCH}: fast_sigmoid(slope=25), FastSigmoid.backward"),
    ("fastSigmoid", {"slope": 4.0}, snntorch_spike, lambda x: fast_sigmoid_backward(x, 4.0), f"{SNNTORCH}: fast_sigmoid(slope=4), FastSigmoid.backward"),
    ("atan", {"alpha": 2.0}, snntorch_spike, lambda x: atan_backward(x, 2.0), f"{SNNTORCH}: atan(alpha=2.0), ATan.backward"),
    ("sigmoid", {"slope": 25.0}, snntorch_spike, lambda x: sigmoid_backward(x, 25.0), f"{SNNTORCH}: sigmoid(slope=25), Sigmoid.backward"),
    ("sigmoid", {"slope": 3.0}, snntorch_spike, lambda x: sigmoid_backward(x, 3.0), f"{SNNTORCH}: sigmoid(slope=3), Sigmoid.backward"),
    ("erf", {"alpha": 2.0}, sj_heaviside, lambda x: erf_backward(x, 2.0), f"{SJ}: Erf(alpha=2.0), erf_backward"),
    ("s2nn", {"alpha": 4.0, "beta": 1.0}, sj_heaviside, lambda x: s2nn_backward(x, 4.0, 1.0), f"{SJ}: S2NN(alpha=4., beta=1.), s2nn.backward"),
    ("qPseudoSpike", {"alpha": 2.0}, sj_heaviside, lambda x: q_pseudo_spike_backward(x, 2.0), f"{SJ}: QPseudoSpike(alpha=2.0), q_pseudo_spike.backward"),
    ("spikeRateEscape", {"beta": 1.0, "slope": 25.0}, snntorch_spike, lambda x: spike_rate_escape_backward(x, 1.0, 25.0), f"{SNNTORCH}: spike_rate_escape(beta=1, slope=25), SpikeRateEscape.backward"),
    ("sparseFastSigmoid", {"slope": 25.0, "b": 1.0}, snntorch_spike, lambda x: sparse_fast_sigmoid_backward(x, 25.0, 1.0), f"{SNNTORCH}: SFS(slope=25, B=1), SparseFastSigmoid.backward"),
    ("leakySpikeOperator", {"slope": 0.1}, snntorch_spike, lambda x: leaky_spike_operator_backward(x, 0.1), f"{SNNTORCH}: LeakySpikeOperator (slope 0.1), LeakySpikeOperator.backward"),
    ("heaviTanh", {"k": 2.0}, norse_heaviside, lambda x: heavi_tanh_backward(x, 2.0), f"{NORSE}: heavi_tanh_fn(k=2), HeaviTanh.backward"),
    ("heaviErfc", {"k": 1.5}, norse_heaviside, lambda x: heavi_erfc_backward(x, 1.5), f"{NORSE}: heavi_erfc_fn(k=1.5), HeaviErfc.backward"),
    ("heaviCirc", {"alpha": 0.8}, norse_heaviside, lambda x: heavi_circ_backward(x, 0.8), f"{NORSE}: heavi_circ_fn(alpha=0.8), HeaviCirc.backward"),
    ("heaviCirc", {"alpha": 100.0}, norse_heaviside, lambda x: heavi_circ_backward(x, 100.0), f"{NORSE}: heavi_circ_fn(alpha=100), HeaviCirc.backward"),
    ("fastSigmoid", {"slope": 100.0}, norse_heaviside, lambda x: norse_superspike_backward(x, 100.0), "norse/torch/functional/superspike.py (norse/norse): super_fn(alpha=100.0), SuperSpike.backward"),
    # Added later: appended so that the cases above keep their values.
    ("superSpike", {"alpha": 1.0}, sj_heaviside, lambda x: super_spike_backward(x, 1.0), f"{SJ}: SuperSpike(alpha=1.0), super_spike_backward"),
    ("superSpike", {"alpha": 3.0}, sj_heaviside, lambda x: super_spike_backward(x, 3.0), f"{SJ}: SuperSpike(alpha=3.0), super_spike_backward"),
    ("rect", {"alpha": 1.0}, sj_heaviside, lambda x: rect_backward(x, 1.0), f"{SJ}: Rect(alpha=1.0), rect_backward"),
    ("rect", {"alpha": 0.25}, sj_heaviside, lambda x: rect_backward(x, 0.25), f"{SJ}: Rect(alpha=0.25), rect_backward"),
    ("logTailedReLU", {"alpha": 0.0}, sj_heaviside, lambda x: log_tailed_relu_backward(x, 0.0), f"{SJ}: LogTailedReLU(alpha=0.0), log_tailed_relu_backward"),
    ("logTailedReLU", {"alpha": 0.1}, sj_heaviside, lambda x: log_tailed_relu_backward(x, 0.1), f"{SJ}: LogTailedReLU(alpha=0.1), log_tailed_relu_backward"),
    ("snnTorchTriangular", {"threshold": 1.0}, snntorch_spike, lambda x: snntorch_triangular_backward(x, 1.0), f"{SNNTORCH}: triangular(threshold=1), Triangular.backward"),
    ("heaviside", {}, snntorch_spike, snntorch_heaviside_backward, f"{SNNTORCH}: heaviside(), Heaviside.backward"),
    ("boxcar", {"width": 2.0, "height": 0.5}, spyx_heaviside, lambda x: spyx_boxcar_backward(x, 2.0, 0.5), f"{SPYX}: boxcar(width=2, height=0.5), grad_boxcar"),
    ("boxcar", {"width": 1.0, "height": 2.0}, spyx_heaviside, lambda x: spyx_boxcar_backward(x, 1.0, 2.0), f"{SPYX}: boxcar(width=1, height=2), grad_boxcar"),
    ("spyxArctan", {"k": 2.0}, spyx_heaviside, lambda x: spyx_arctan_backward(x, 2.0), f"{SPYX}: arctan(k=2), grad_arctan"),
    ("fastSigmoid", {"slope": 25.0}, spyx_heaviside, lambda x: spyx_superspike_backward(x, 25.0), f"{SPYX}: superspike(k=25), grad_superspike (snnTorch's fast sigmoid)"),
    ("triangular", {"width": 0.5, "scale": 1.0}, spyx_heaviside, lambda x: spyx_triangle_backward(x, 2.0), f"{SPYX}: triangular(k=2), grad_triangle (width 1/k, scale 1)"),
    ("heaviTanh", {"k": 1.0}, spyx_heaviside, lambda x: spyx_tanh_backward(x, 1.0), f"{SPYX}: tanh(k=1), grad_tanh (Norse's heavi_tanh)"),
    ("slayer", {"scale": 1.0, "tau": 1.0}, slayer_spike, lambda x: slayer_backward(x, 1.0, 1.0), f"{LAVA_DL}: Spike with tau_grad 1, scale_grad 1, threshold 1 (tau_rho = tau_grad·threshold), _spike_backward"),
    ("slayer", {"scale": 2.0, "tau": 0.5}, slayer_spike, lambda x: slayer_backward(x, 0.5, 2.0), f"{LAVA_DL}: Spike with tau_rho 0.5, scale_rho 2, _spike_backward"),
]


def points():
    """The spike's edge (0, ±0), window edges, and a spread of values."""
    gen = torch.Generator().manual_seed(5)
    spread = torch.round(torch.randn(24, generator=gen, dtype=torch.float64) * 150) / 100
    edges = torch.tensor([0.0, -0.0, 0.4, -0.4, 0.5, -0.5, 1.0, -1.0, 2.0, -2.0, 1e-7, -1e-7, 5.0, -5.0], dtype=torch.float64)
    return torch.cat([edges, spread]).to(torch.float32)


def build():
    x = points()
    gen = torch.Generator().manual_seed(6)
    cotangent = (torch.round(torch.rand(x.shape, generator=gen, dtype=torch.float64) * 200 - 100) / 100).to(torch.float32)
    cases = []
    for name, options, forward, backward, source in KINDS:
        out = forward(x)
        grad = cotangent * backward(x)
        assert not math.isnan(float(grad.sum())), name
        cases.append(
            {
                "surrogate": name,
                "options": options,
                "source": source,
                "x": tensor_json(x),
                "out": tensor_json(out),
                "cotangent": tensor_json(cotangent),
                "grad": tensor_json(grad),
            }
        )
    return {
        "description": "heaviside(x, { surrogate, ...options }): the spike and cotangent · the surrogate derivative, as each source library computes them (see source).",
        "cases": cases,
    }
