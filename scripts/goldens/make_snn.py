"""snn.json: @surrograd/snn's neurons against snnTorch's equations.

snnTorch cannot be installed here, so each neuron's step is written in torch as its source file
writes it (cited per neuron), with snnTorch's default surrogate, ATan, as the autograd Function of
snntorch/surrogate.py. A run steps the neuron T times from zero state, as snnTorch's tutorials do
(`mem = lif.init_leaky()`, then `spk, mem = lif(cur[t], mem)`), and records every step's outputs,
then the gradients of sum(outputs · cotangents) to the input currents and to every learnable
parameter (β, the threshold, …).
"""
import torch

from encode import tensor_json

SNNTORCH = "jeshraghian/snntorch"


class ATan(torch.autograd.Function):
    """snntorch/surrogate.py, ATan: spike (input_ > 0); grad · alpha / 2 / (1 + (pi / 2 · alpha · input_)²)."""

    @staticmethod
    def forward(ctx, input_, alpha=2.0):
        ctx.save_for_backward(input_)
        ctx.alpha = alpha
        return (input_ > 0).float()

    @staticmethod
    def backward(ctx, grad_output):
        (input_,) = ctx.saved_tensors
        grad = ctx.alpha / 2 / (1 + (torch.pi / 2 * ctx.alpha * input_).pow_(2)) * grad_output
        return grad, None


class FastSigmoid(torch.autograd.Function):
    """snntorch/surrogate.py, FastSigmoid: spike (input_ > 0); grad / (slope |input_| + 1)²."""

    @staticmethod
    def forward(ctx, input_, slope=25.0):
        ctx.save_for_backward(input_)
        ctx.slope = slope
        return (input_ > 0).float()

    @staticmethod
    def backward(ctx, grad_output):
        (input_,) = ctx.saved_tensors
        return grad_output / (ctx.slope * torch.abs(input_) + 1.0) ** 2, None


def spike_fn(surrogate):
    if surrogate is None:
        return lambda x: ATan.apply(x, 2.0)
    if surrogate["surrogate"] == "fastSigmoid":
        return lambda x: FastSigmoid.apply(x, float(surrogate.get("slope", 25)))
    raise ValueError(surrogate)


class Neuron:
    """snntorch/_neurons/neurons.py, SpikingNeuron: fire, fire_inhibition and mem_reset."""

    def __init__(self, threshold=1.0, surrogate=None, reset_mechanism="subtract", inhibition=False, graded=1.0, learn_threshold=False):
        self.threshold = torch.tensor(threshold, requires_grad=learn_threshold)
        self.graded = torch.tensor(graded)
        self.spike = spike_fn(surrogate)
        self.reset_mechanism = reset_mechanism
        self.inhibition = inhibition

    def fire(self, mem):
        mem_shift = mem - self.threshold
        if self.inhibition:
            index = torch.argmax(mem_shift, dim=1)
            spk_tmp = self.spike(mem_shift)
            mask = torch.zeros_like(spk_tmp)
            mask[torch.arange(mem.size(0)), index] = 1
            return spk_tmp * mask * self.graded
        return self.spike(mem_shift) * self.graded

    def mem_reset(self, mem):
        return self.spike(mem - self.threshold).clone().detach()

    def params(self):
        return {"threshold": self.threshold} if self.threshold.requires_grad else {}


class Leaky(Neuron):
    """snntorch/_neurons/leaky.py, Leaky.forward with _base_sub / _base_zero / _base_int and reset_delay."""

    source = f"{SNNTORCH}: snntorch/_neurons/leaky.py, Leaky"
    states = ["mem"]
    outputs = ["spk", "mem"]

    def __init__(self, beta, learn_beta=False, reset_delay=True, **kw):
        super().__init__(**kw)
        self.beta = torch.tensor(beta, requires_grad=learn_beta)
        self.reset_delay = reset_delay

    def step(self, input_, mem):
        reset = self.mem_reset(mem)
        b = self.beta.clamp(0, 1)
        if self.reset_mechanism == "subtract":
            mem = b * mem + input_ - reset * self.threshold
        elif self.reset_mechanism == "zero":
            mem = (1 - reset) * mem
            mem = b * mem + input_
        else:
            mem = b * mem + input_
        spk = self.fire(mem)
        if not self.reset_delay:
            do_reset = spk / self.graded - reset
            if self.reset_mechanism == "subtract":
                mem = mem - do_reset * self.threshold
            elif self.reset_mechanism == "zero":
                mem = mem - do_reset * mem
        return spk, [mem]

    def params(self):
        return {**({"beta": self.beta} if self.beta.requires_grad else {}), **super().params()}


class IF(Leaky):
    """A Leaky with beta 1 (SpikingJelly's IFNode; snnTorch's Leaky(beta=1))."""

    source = f"{SNNTORCH}: snntorch/_neurons/leaky.py, Leaky with beta=1"

    def __init__(self, **kw):
        super().__init__(1.0, **kw)


class Synaptic(Neuron):
    """snntorch/_neurons/synaptic.py, Synaptic.forward with _base_sub / _base_zero / _base_int."""

    source = f"{SNNTORCH}: snntorch/_neurons/synaptic.py, Synaptic"
    states = ["syn", "mem"]
    outputs = ["spk", "syn", "mem"]

    def __init__(self, alpha, beta, learn_alpha=False, learn_beta=False, reset_delay=True, **kw):
        super().__init__(**kw)
        self.alpha = torch.tensor(alpha, requires_grad=learn_alpha)
        self.beta = torch.tensor(beta, requires_grad=learn_beta)
        self.reset_delay = reset_delay

    def base(self, input_, syn, mem, feedback=None):
        syn_new = self.alpha.clamp(0, 1) * syn + input_
        if feedback is not None:
            syn_new = syn_new + feedback
        return syn_new, self.beta.clamp(0, 1) * mem + syn_new

    def integrate(self, input_, syn, mem, reset, feedback=None):
        syn_new, mem_new = self.base(input_, syn, mem, feedback)
        if self.reset_mechanism == "subtract":
            mem_new = mem_new - reset * self.threshold
        elif self.reset_mechanism == "zero":
            _, mem2 = self.base(input_, syn, mem, feedback)
            mem_new = mem_new - mem2 * reset
        return syn_new, mem_new

    def delay_free(self, spk, mem, reset):
        if self.reset_delay:
            return mem
        do_reset = spk / self.graded - reset
        if self.reset_mechanism == "subtract":
            return mem - do_reset * self.threshold
        if self.reset_mechanism == "zero":
            return mem - do_reset * mem
        return mem

    def step(self, input_, syn, mem):
        reset = self.mem_reset(mem)
        syn, mem = self.integrate(input_, syn, mem, reset)
        spk = self.fire(mem)
        return spk, [syn, self.delay_free(spk, mem, reset)]

    def params(self):
        own = {k: v for k, v in (("alpha", self.alpha), ("beta", self.beta)) if v.requires_grad}
        return {**own, **super().params()}


class RecurrentOneToOne:
    """snntorch/_neurons/neurons.py, RecurrentOneToOne: x * V."""

    def __init__(self, V, learn):
        self.V = torch.tensor(V, requires_grad=learn)

    def __call__(self, x):
        return x * self.V

    def params(self):
        return {"recurrent.V": self.V} if self.V.requires_grad else {}


class RecurrentLinear:
    """RLeaky._init_recurrent_linear: nn.Linear(linear_features, linear_features), weights given by the golden."""

    def __init__(self, n, gen):
        self.weight = ((torch.rand((n, n), generator=gen) * 2 - 1) / n**0.5).requires_grad_(True)
        self.bias = ((torch.rand((n,), generator=gen) * 2 - 1) / n**0.5).requires_grad_(True)

    def __call__(self, x):
        return torch.nn.functional.linear(x, self.weight, self.bias)

    def params(self):
        return {"recurrent.weight": self.weight, "recurrent.bias": self.bias}


class RLeaky(Leaky):
    """snntorch/_neurons/rleaky.py, RLeaky.forward: beta·mem + input + recurrent(spk), then _base_sub / _base_zero / _base_int."""

    source = f"{SNNTORCH}: snntorch/_neurons/rleaky.py, RLeaky"
    states = ["spk", "mem"]
    outputs = ["spk", "mem"]

    def __init__(self, beta, recurrent, **kw):
        super().__init__(beta, **kw)
        self.recurrent = recurrent

    def step(self, input_, spk, mem):
        reset = self.mem_reset(mem)
        base = self.beta.clamp(0, 1) * mem + input_ + self.recurrent(spk)
        if self.reset_mechanism == "subtract":
            mem = base - reset * self.threshold
        elif self.reset_mechanism == "zero":
            mem = base - reset * base
        else:
            mem = base
        spk = self.fire(mem)
        if not self.reset_delay:
            do_reset = spk / self.graded - reset
            if self.reset_mechanism == "subtract":
                mem = mem - do_reset * self.threshold
            elif self.reset_mechanism == "zero":
                mem = mem - do_reset * mem
        return spk, [spk, mem]

    def params(self):
        return {**super().params(), **self.recurrent.params()}


class RSynaptic(Synaptic):
    """snntorch/_neurons/rsynaptic.py, RSynaptic.forward: alpha·syn + input + recurrent(spk) into the synaptic current."""

    source = f"{SNNTORCH}: snntorch/_neurons/rsynaptic.py, RSynaptic"
    states = ["spk", "syn", "mem"]
    outputs = ["spk", "syn", "mem"]

    def __init__(self, alpha, beta, recurrent, **kw):
        super().__init__(alpha, beta, **kw)
        self.recurrent = recurrent

    def step(self, input_, spk, syn, mem):
        reset = self.mem_reset(mem)
        syn, mem = self.integrate(input_, syn, mem, reset, self.recurrent(spk))
        spk = self.fire(mem)
        return spk, [spk, syn, self.delay_free(spk, mem, reset)]

    def params(self):
        return {**super().params(), **self.recurrent.params()}


class Alpha(Neuron):
    """snntorch/_neurons/alpha.py, Alpha: _base_state_function, _base_sub (with _base_state_reset_sub_function), _base_zero."""

    source = f"{SNNTORCH}: snntorch/_neurons/alpha.py, Alpha"
    states = ["syn_exc", "syn_inh", "mem"]
    outputs = ["spk", "syn_exc", "syn_inh", "mem"]

    def __init__(self, alpha, beta, learn_alpha=False, learn_beta=False, reset_mechanism="zero", **kw):
        super().__init__(reset_mechanism=reset_mechanism, **kw)
        self.alpha = torch.tensor(alpha, requires_grad=learn_alpha)
        self.beta = torch.tensor(beta, requires_grad=learn_beta)

    def base(self, input_, syn_exc, syn_inh):
        a, b = self.alpha.clamp(0, 1), self.beta.clamp(0, 1)
        exc = a * syn_exc + input_
        inh = b * syn_inh - input_
        tau_alpha = torch.log(a) / (torch.log(b) - torch.log(a)) + 1
        return exc, inh, tau_alpha * (exc + inh)

    def step(self, input_, syn_exc, syn_inh, mem):
        reset = self.mem_reset(mem)
        exc, inh, new_mem = self.base(input_, syn_exc, syn_inh)
        if self.reset_mechanism == "subtract":
            exc = exc - self.threshold * reset
            inh = inh - (self.beta.clamp(0, 1) * syn_inh - input_) * reset
            new_mem = new_mem - (-syn_inh) * reset
        elif self.reset_mechanism == "zero":
            exc2, inh2, mem2 = self.base(input_, syn_exc, syn_inh)
            exc = exc - exc2 * reset
            inh = inh - inh2 * reset
            new_mem = new_mem - mem2 * reset
        return self.fire(new_mem), [exc, inh, new_mem]

    def params(self):
        own = {k: v for k, v in (("alpha", self.alpha), ("beta", self.beta)) if v.requires_grad}
        return {**own, **super().params()}


class ALIF(Neuron):
    """norse/torch/functional/lsnn.py (norse/norse), lsnn_feed_forward_step, with LSNNParameters' defaults
    and the initial state of norse/torch/module/lsnn.py's LSNNFeedForwardCell (v = v_leak, i = 0, b = v_th).
    Norse's threshold method 'super' with alpha 100: snnTorch's FastSigmoid with slope 100 (checked in surrogates.json)."""

    source = "norse/norse: norse/torch/functional/lsnn.py, lsnn_feed_forward_step"
    states = ["v", "i", "b"]
    outputs = ["spk", "v", "i", "b"]

    def __init__(self, tau_syn_inv=1.0 / 5e-3, tau_mem_inv=1.0 / 1e-2, tau_adapt_inv=1.0 / 800, v_leak=0.0, v_th=1.0, v_reset=0.0, beta=1.8, dt=0.001):
        super().__init__(threshold=v_th, surrogate={"surrogate": "fastSigmoid", "slope": 100})
        self.p = dict(tau_syn_inv=tau_syn_inv, tau_mem_inv=tau_mem_inv, tau_adapt_inv=tau_adapt_inv, v_leak=v_leak, v_th=v_th, v_reset=v_reset, beta=beta)
        self.dt = dt

    def initial(self, shape):
        return [torch.full(shape, self.p["v_leak"]), torch.zeros(shape), torch.full(shape, self.p["v_th"])]

    def step(self, input_tensor, v, i, b):
        p, dt = self.p, self.dt
        dv = dt * p["tau_mem_inv"] * ((p["v_leak"] - v) + i)
        v_decayed = v + dv
        di = -dt * p["tau_syn_inv"] * i
        i_decayed = i + di
        db = dt * p["tau_adapt_inv"] * (p["v_th"] - b)
        b_decayed = b + db
        z_new = self.spike(v_decayed - b_decayed)
        v_new = (1 - z_new) * v_decayed + z_new * p["v_reset"]
        b_new = b_decayed + z_new * p["beta"]
        i_new = i_decayed + input_tensor
        return z_new, [v_new, i_new, b_new]


class Lapicque(Neuron):
    """snntorch/_neurons/lapicque.py, Lapicque: input·R·(1/(R·C))·Δt + (1 − Δt/(R·C))·mem, R and C from _lapicque_cases."""

    source = f"{SNNTORCH}: snntorch/_neurons/lapicque.py, Lapicque"
    states = ["mem"]
    outputs = ["spk", "mem"]

    def __init__(self, beta=None, R=None, C=None, time_step=1.0, **kw):
        super().__init__(**kw)
        self.time_step = torch.as_tensor(time_step)
        if beta is None:
            self.R, self.C = torch.as_tensor(R), torch.as_tensor(C)
        elif R is None and C is None:
            self.R = torch.as_tensor(1)
            self.C = self.time_step / (self.R * torch.log(1 / torch.as_tensor(beta)))
        elif C is None:
            self.R = torch.as_tensor(R)
            self.C = self.time_step / (self.R * torch.log(1 / torch.as_tensor(beta)))
        else:
            self.C = torch.as_tensor(C)
            self.R = self.time_step / (self.C * torch.log(1 / torch.as_tensor(beta)))

    def step(self, input_, mem):
        reset = self.mem_reset(mem)
        base = input_ * self.R * (1 / (self.R * self.C)) * self.time_step + (1 - (self.time_step / (self.R * self.C))) * mem
        if self.reset_mechanism == "subtract":
            mem = base - reset * self.threshold
        elif self.reset_mechanism == "zero":
            mem = base - reset * base
        else:
            mem = base
        return self.fire(mem), [mem]


def run(name, neuron, options, shape, steps, seed):
    gen = torch.Generator().manual_seed(seed)
    # Currents around the threshold, so that neurons spike, reset and stay silent in turn.
    cur = (torch.rand((steps, *shape), generator=gen) * 1.6 - 0.3).requires_grad_(True)
    state = neuron.initial(shape) if hasattr(neuron, "initial") else [torch.zeros(shape) for _ in neuron.states]
    recorded = [n for n in neuron.outputs if n != "spk"]
    spks, recs = [], [[] for _ in recorded]
    for t in range(steps):
        spk, state = neuron.step(cur[t], *state)
        spks.append(spk)
        for i, state_name in enumerate(recorded):
            recs[i].append(state[neuron.states.index(state_name)])
    spk = torch.stack(spks)
    outs = [torch.stack(r) for r in recs]
    cot = [torch.round(torch.rand(spk.shape, generator=gen) * 200 - 100) / 100 for _ in range(1 + len(outs))]
    loss = (spk * cot[0]).sum() + sum((o * c).sum() for o, c in zip(outs, cot[1:]))
    params = neuron.params()
    grads = torch.autograd.grad(loss, [cur, *params.values()])
    return {
        "name": name,
        "neuron": type(neuron).__name__,
        "options": options,
        "source": neuron.source,
        "input": tensor_json(cur.detach()),
        "spk": tensor_json(spk.detach()),
        "stateNames": neuron.states,
        "outputNames": neuron.outputs,
        "params": {k: tensor_json(v.detach()) for k, v in params.items()},
        "states": {k: tensor_json(o.detach()) for k, o in zip(recorded, outs)},
        "cotangents": {"spk": tensor_json(cot[0]), **{k: tensor_json(c) for k, c in zip(recorded, cot[1:])}},
        "grads": {"input": tensor_json(grads[0]), **{k: tensor_json(g) for k, g in zip(params, grads[1:])}},
    }


def build():
    runs = [
        run("leaky/subtract", Leaky(0.9), {"beta": 0.9}, [3, 5], 8, 1),
        run("leaky/zero", Leaky(0.8, reset_mechanism="zero"), {"beta": 0.8, "resetMechanism": "zero"}, [3, 5], 8, 2),
        run("leaky/none", Leaky(0.7, reset_mechanism="none"), {"beta": 0.7, "resetMechanism": "none"}, [2, 4], 6, 3),
        run(
            "leaky/learn beta and threshold, threshold 0.7",
            Leaky(0.85, learn_beta=True, threshold=0.7, learn_threshold=True),
            {"beta": 0.85, "learnBeta": True, "threshold": 0.7, "learnThreshold": True},
            [3, 4],
            8,
            4,
        ),
        run("leaky/no reset delay", Leaky(0.9, reset_delay=False), {"beta": 0.9, "resetDelay": False}, [3, 5], 8, 5),
        run(
            "leaky/zero, no reset delay",
            Leaky(0.9, reset_delay=False, reset_mechanism="zero"),
            {"beta": 0.9, "resetDelay": False, "resetMechanism": "zero"},
            [3, 5],
            8,
            6,
        ),
        run("leaky/beta above 1 is clamped", Leaky(1.3, learn_beta=True), {"beta": 1.3, "learnBeta": True}, [2, 3], 5, 7),
        run("leaky/graded spikes 0.5", Leaky(0.9, graded=0.5), {"beta": 0.9, "gradedSpikesFactor": 0.5}, [3, 5], 8, 8),
        run("leaky/inhibition", Leaky(0.9, inhibition=True), {"beta": 0.9, "inhibition": True}, [3, 5], 8, 9),
        run(
            "leaky/fastSigmoid surrogate",
            Leaky(0.9, surrogate={"surrogate": "fastSigmoid", "slope": 25}),
            {"beta": 0.9, "surrogate": {"surrogate": "fastSigmoid", "slope": 25}},
            [3, 5],
            8,
            10,
        ),
    ]
    # Other neurons (appended, so that the Leaky runs above keep their values).
    runs += [
        run("synaptic/subtract", Synaptic(0.6, 0.9), {"alpha": 0.6, "beta": 0.9}, [3, 5], 8, 11),
        run(
            "synaptic/zero, learn alpha and beta",
            Synaptic(0.5, 0.8, learn_alpha=True, learn_beta=True, reset_mechanism="zero"),
            {"alpha": 0.5, "beta": 0.8, "learnAlpha": True, "learnBeta": True, "resetMechanism": "zero"},
            [2, 4],
            8,
            12,
        ),
        run("synaptic/no reset delay", Synaptic(0.6, 0.9, reset_delay=False), {"alpha": 0.6, "beta": 0.9, "resetDelay": False}, [3, 4], 8, 13),
        run(
            "rleaky/one-to-one, learnt V 0.4",
            RLeaky(0.9, RecurrentOneToOne(0.4, True)),
            {"beta": 0.9, "allToAll": False, "V": 0.4},
            [3, 5],
            8,
            14,
        ),
        run(
            "rleaky/all-to-all linear, zero reset",
            RLeaky(0.85, RecurrentLinear(4, torch.Generator().manual_seed(99)), reset_mechanism="zero"),
            {"beta": 0.85, "linearFeatures": 4, "resetMechanism": "zero"},
            [3, 4],
            8,
            15,
        ),
        run(
            "rsynaptic/all-to-all linear",
            RSynaptic(0.5, 0.9, RecurrentLinear(5, torch.Generator().manual_seed(98))),
            {"alpha": 0.5, "beta": 0.9, "linearFeatures": 5},
            [2, 5],
            8,
            16,
        ),
        run(
            "rsynaptic/one-to-one, frozen V 0.3",
            RSynaptic(0.6, 0.8, RecurrentOneToOne(0.3, False)),
            {"alpha": 0.6, "beta": 0.8, "allToAll": False, "V": 0.3, "learnRecurrent": False},
            [3, 4],
            8,
            17,
        ),
        run("lapicque/beta 0.9", Lapicque(beta=0.9), {"beta": 0.9}, [3, 5], 8, 18),
        run("lapicque/R 5, C 0.4, zero reset", Lapicque(R=5.0, C=0.4, reset_mechanism="zero"), {"R": 5, "C": 0.4, "resetMechanism": "zero"}, [3, 4], 8, 19),
        run("if/subtract", IF(), {}, [3, 5], 6, 20),
        run("alpha/zero (default)", Alpha(0.9, 0.8), {"alpha": 0.9, "beta": 0.8}, [3, 5], 10, 21),
        run("alif/Norse's defaults", ALIF(), {}, [3, 5], 12, 23),
        run(
            "alif/dt 0.01, beta 0.5, v_reset -0.2",
            ALIF(dt=0.01, beta=0.5, v_reset=-0.2, tau_adapt_inv=1.0 / 50),
            {"dt": 0.01, "beta": 0.5, "vReset": -0.2, "tauAdaptInv": 1 / 50},
            [3, 4],
            12,
            24,
        ),
        run(
            "alpha/subtract, learnt alpha and beta",
            Alpha(0.85, 0.6, learn_alpha=True, learn_beta=True, reset_mechanism="subtract"),
            {"alpha": 0.85, "beta": 0.6, "learnAlpha": True, "learnBeta": True, "resetMechanism": "subtract"},
            [3, 4],
            10,
            22,
        ),
    ]
    return {
        "losses": loss_cases(),
        "spikegen": spikegen_cases(),
        "description": "Neurons stepped T times from zero state as snnTorch's equations (see source): spikes, states, and the gradients of sum(outputs · cotangents) to the currents and learnable parameters.",
        "runs": runs,
    }


def targets_rate(labels, classes, on, off):
    """snntorch/spikegen.py, targets_rate without num_steps: on at the label, off elsewhere."""
    return torch.nn.functional.one_hot(labels, classes).float() * (on - off) + off


LOSS_SOURCE = f"{SNNTORCH}: snntorch/functional/loss.py"


def loss_cases():
    """snntorch/functional/loss.py's _compute_loss of each loss (reduction 'mean', no weight), with and without population codes."""
    gen = torch.Generator().manual_seed(30)
    steps, batch, classes = 6, 4, 5
    spk = (torch.rand((steps, batch, classes), generator=gen) < 0.4).float().requires_grad_(True)
    mem = (torch.rand((steps, batch, classes), generator=gen) * 2 - 0.5).requires_grad_(True)
    labels = torch.tensor([0, 3, 1, 4])
    labels_t = torch.randint(0, classes, (steps, batch), generator=gen)
    ce = torch.nn.functional.cross_entropy
    mse = torch.nn.functional.mse_loss

    def ce_rate(s, y):
        loss = torch.zeros(1)
        for t in range(s.size(0)):
            loss += ce(s[t], y)
        return loss / s.size(0)

    def mse_count(s, y, correct, incorrect):
        on, off = int(s.size(0) * correct), int(s.size(0) * incorrect)
        return mse(s.sum(0), targets_rate(y, s.size(-1), on, off)) / s.size(0)

    def mse_membrane(m, y, on, off, time_var):
        target = targets_rate(y, m.size(-1), on, off)
        loss = torch.zeros(1)
        for t in range(m.size(0)):
            loss += mse(m[t], target[t] if time_var else target)
        return loss / m.size(0)

    cases = [
        ("ceRateLoss", {}, "spk", lambda: ce_rate(spk, labels), labels),
        ("ceCountLoss", {}, "spk", lambda: ce(spk.sum(0), labels), labels),
        ("ceMaxMembraneLoss", {}, "mem", lambda: ce(mem.max(0)[0], labels), labels),
        ("mseCountLoss", {}, "spk", lambda: mse_count(spk, labels, 1, 0), labels),
        ("mseCountLoss", {"correctRate": 0.8, "incorrectRate": 0.2}, "spk", lambda: mse_count(spk, labels, 0.8, 0.2), labels),
        ("mseMembraneLoss", {}, "mem", lambda: mse_membrane(mem, labels, 1, 0, False), labels),
        ("mseMembraneLoss", {"onTarget": 1.5, "offTarget": -0.5, "timeVarTargets": True}, "mem", lambda: mse_membrane(mem, labels_t, 1.5, -0.5, True), labels_t),
    ]
    # Population codes: 10 output neurons for 5 classes, counted in contiguous groups of 2.
    spk_pop = (torch.rand((steps, batch, 2 * classes), generator=gen) < 0.4).float().requires_grad_(True)

    def population_code(s, num_classes):
        """snntorch/functional/loss.py, LossFunctions._population_code (acc.py has the same)."""
        num_outputs = s.size(-1)
        pop = torch.zeros((s.size(1), num_classes))
        for idx in range(num_classes):
            pop[:, idx] = s[:, :, int(num_outputs * idx / num_classes) : int(num_outputs * (idx + 1) / num_classes)].sum(-1).sum(0)
        return pop

    def mse_count_pop(s, y, correct, incorrect, num_classes):
        per = s.size(-1) / num_classes
        on, off = int(s.size(0) * correct * per), int(s.size(0) * incorrect * per)
        return mse(population_code(s, num_classes), targets_rate(y, num_classes, on, off)) / s.size(0)

    pop = {"populationCode": True, "numClasses": classes}
    cases += [
        ("ceCountLoss", pop, "spkPop", lambda: ce(population_code(spk_pop, classes), labels), labels),
        ("mseCountLoss", {"correctRate": 0.8, "incorrectRate": 0.2, **pop}, "spkPop", lambda: mse_count_pop(spk_pop, labels, 0.8, 0.2, classes), labels),
    ]
    inputs = {"spk": spk, "mem": mem, "spkPop": spk_pop}
    out = []
    for name, options, arg, f, y in cases:
        x = inputs[arg]
        loss = f().reshape([])
        (g,) = torch.autograd.grad(loss, [x])
        out.append({"loss": name, "options": options, "source": f"{LOSS_SOURCE}, {name}", "input": arg, "labels": y.tolist(), "value": tensor_json(loss.detach()), "grad": tensor_json(g)})
    acc_idx = spk.detach().sum(0).max(1)[1]
    return {
        "spk": tensor_json(spk.detach()),
        "mem": tensor_json(mem.detach()),
        "cases": out,
        "accuracyRate": {"labels": labels.tolist(), "value": float((acc_idx == labels).float().mean())},
        "spkPop": tensor_json(spk_pop.detach()),
        "accuracyRatePopulation": {
            "labels": labels.tolist(),
            "numClasses": classes,
            "value": float((population_code(spk_pop.detach(), classes).max(1)[1] == labels).float().mean()),
        },
    }


SPIKEGEN = f"{SNNTORCH}: snntorch/spikegen.py"


def latency(data, num_steps, threshold=0.01, tau=1, first_spike_time=0, on_target=1, off_target=0, clip=False, normalize=False, linear=False, epsilon=1e-7):
    """snntorch/spikegen.py, latency (not interpolate, not bypass) with latency_code_log / latency_code_linear."""
    idx = data < threshold
    if linear:
        if normalize:
            tau = num_steps - 1 - first_spike_time
        spike_time = torch.clamp_max(-tau * (data - 1), -tau * (threshold - 1)) + first_spike_time
        if torch.min(spike_time) < 0 and normalize:
            spike_time = (spike_time - torch.min(spike_time)) * (1 / (torch.max(spike_time) - torch.min(spike_time))) * (num_steps - 1)
    else:
        d = torch.clamp(data, threshold + epsilon)
        spike_time = tau * torch.log(d / (d - threshold))
        if first_spike_time > 0:
            spike_time += first_spike_time
        if normalize:
            spike_time = (spike_time - first_spike_time) * (num_steps - first_spike_time - 1) / torch.max(spike_time - first_spike_time) + first_spike_time
    spike_data = torch.zeros((num_steps, *spike_time.size()))
    rm_idx = torch.round(spike_time).long() > num_steps - 1
    spike_data = spike_data.scatter(0, torch.round(torch.clamp_max(spike_time, num_steps - 1)).long().unsqueeze(0), 1) * ~rm_idx
    if clip:
        spike_data = spike_data * ~idx
    return torch.clamp(spike_data * on_target, off_target)


def delta(data, threshold=0.1, padding=False, off_spike=False):
    """snntorch/spikegen.py, delta."""
    if padding:
        offset = torch.cat((data[0].unsqueeze(0), data))[:-1]
    else:
        offset = torch.cat((torch.zeros_like(data[0]).unsqueeze(0), data))[:-1]
    on = torch.ones_like(data) * ((data - offset) >= threshold)
    if not off_spike:
        return on
    return on + -torch.ones_like(data) * ((data - offset) <= -threshold)


def spikegen_cases():
    gen = torch.Generator().manual_seed(31)
    img = torch.rand((3, 7), generator=gen)
    img[0, 0], img[1, 1], img[2, 2] = 0.0, 1.0, 0.005
    series = torch.round(torch.rand((6, 2, 4), generator=gen) * 10) / 10
    cases = []
    for options, kw in [
        ({"numSteps": 10}, {"num_steps": 10}),
        ({"numSteps": 10, "tau": 5, "threshold": 0.01}, {"num_steps": 10, "tau": 5, "threshold": 0.01}),
        ({"numSteps": 12, "tau": 5, "clip": True}, {"num_steps": 12, "tau": 5, "clip": True}),
        ({"numSteps": 10, "normalize": True}, {"num_steps": 10, "normalize": True}),
        ({"numSteps": 10, "linear": True, "tau": 3}, {"num_steps": 10, "linear": True, "tau": 3}),
        ({"numSteps": 10, "linear": True, "normalize": True, "firstSpikeTime": 2}, {"num_steps": 10, "linear": True, "normalize": True, "first_spike_time": 2}),
        ({"numSteps": 10, "tau": 2, "onTarget": 0.8, "offTarget": 0.1}, {"num_steps": 10, "tau": 2, "on_target": 0.8, "off_target": 0.1}),
    ]:
        cases.append({"fn": "latency", "options": options, "source": f"{SPIKEGEN}, latency", "data": tensor_json(img), "out": tensor_json(latency(img, **kw))})
    for options, kw in [
        ({}, {}),
        ({"threshold": 0.3, "padding": True}, {"threshold": 0.3, "padding": True}),
        ({"threshold": 0.2, "offSpike": True}, {"threshold": 0.2, "off_spike": True}),
    ]:
        cases.append({"fn": "delta", "options": options, "source": f"{SPIKEGEN}, delta", "data": tensor_json(series), "out": tensor_json(delta(series, **kw))})
    return cases
