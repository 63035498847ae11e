"""mlp.json: a 2-layer MLP's loss, gradients, and parameters after SGD / Adam / AdamW steps.

Layout as PyTorch's nn.Linear: weight [out, in], bias [out]. Every optimizer run starts
from the same initial parameters and recomputes the gradient each step on the same batch.
"""
import torch
import torch.nn.functional as F

from cases import randint, randn, reseed
from encode import tensor_json

PARAM_NAMES = ["W1", "b1", "W2", "b2"]

RUNS = [
    ("SGD lr=0.1, 1 step", "SGD", {"lr": 0.1}, 1),
    ("SGD momentum=0.9, 3 steps", "SGD", {"lr": 0.1, "momentum": 0.9}, 3),
    ("SGD momentum=0.9 nesterov weightDecay=0.01, 3 steps", "SGD", {"lr": 0.1, "momentum": 0.9, "nesterov": True, "weightDecay": 0.01}, 3),
    ("Adam lr=0.01, 3 steps", "Adam", {"lr": 0.01}, 3),
    ("Adam lr=0.01 weightDecay=0.1 (L2), 3 steps", "Adam", {"lr": 0.01, "weightDecay": 0.1}, 3),
    ("AdamW lr=0.01 weightDecay=0.1, 3 steps", "AdamW", {"lr": 0.01, "weightDecay": 0.1}, 3),
    ("RMSprop lr=0.01, 3 steps", "RMSprop", {"lr": 0.01}, 3),
    ("RMSprop momentum=0.9 centered weightDecay=0.01, 3 steps", "RMSprop", {"lr": 0.005, "momentum": 0.9, "centered": True, "weightDecay": 0.01}, 3),
    ("Adagrad lr=0.1, 3 steps", "Adagrad", {"lr": 0.1}, 3),
    ("Adagrad lrDecay=0.1 weightDecay=0.05 initialAccumulatorValue=0.1, 3 steps", "Adagrad", {"lr": 0.1, "lrDecay": 0.1, "weightDecay": 0.05, "initialAccumulatorValue": 0.1}, 3),
]

# Schedules and clipping: (name, optimizer, options, steps, scheduler or None, clipGradNorm or None).
SCHEDULED = [
    ("SGD + StepLR(stepSize 2, gamma 0.5), 5 steps", "SGD", {"lr": 0.5}, 5, {"kind": "StepLR", "options": {"stepSize": 2, "gamma": 0.5}}, None),
    ("SGD momentum + CosineAnnealingLR(tMax 4, etaMin 0.01), 6 steps", "SGD", {"lr": 0.5, "momentum": 0.9}, 6, {"kind": "CosineAnnealingLR", "options": {"tMax": 4, "etaMin": 0.01}}, None),
    ("Adam + LinearLR warm-up, 5 steps", "Adam", {"lr": 0.05}, 5, {"kind": "LinearLR", "options": {"startFactor": 0.25, "totalIters": 3}}, None),
    ("SGD + OneCycleLR(maxLr 1, 8 steps)", "SGD", {"lr": 0.1}, 8, {"kind": "OneCycleLR", "options": {"maxLr": 1.0, "totalSteps": 8}}, None),
    ("SGD + OneCycleLR three phases, linear", "SGD", {"lr": 0.1}, 10, {"kind": "OneCycleLR", "options": {"maxLr": 0.8, "totalSteps": 10, "pctStart": 0.25, "annealStrategy": "linear", "threePhase": True}}, None),
    (
        "SGD + SequentialLR(LinearLR, CosineAnnealingLR) at 2, 6 steps",
        "SGD",
        {"lr": 0.4},
        6,
        {"kind": "SequentialLR", "options": {"milestones": [2], "schedulers": [{"kind": "LinearLR", "options": {"startFactor": 0.5, "totalIters": 2}}, {"kind": "CosineAnnealingLR", "options": {"tMax": 4}}]}},
        None,
    ),
    ("SGD lr=1 + clipGradNorm 0.05, 3 steps", "SGD", {"lr": 1.0}, 3, None, 0.05),
]


SNAKE = {"weightDecay": "weight_decay", "lrDecay": "lr_decay", "initialAccumulatorValue": "initial_accumulator_value"}


def torch_optimizer(kind, params, options):
    renamed = {SNAKE.get(k, k): v for k, v in options.items()}
    optimizers = {"SGD": torch.optim.SGD, "Adam": torch.optim.Adam, "AdamW": torch.optim.AdamW, "RMSprop": torch.optim.RMSprop, "Adagrad": torch.optim.Adagrad}
    return optimizers[kind](params, **renamed)


SCHEDULER_ARGS = {
    "stepSize": "step_size",
    "tMax": "T_max",
    "etaMin": "eta_min",
    "startFactor": "start_factor",
    "endFactor": "end_factor",
    "totalIters": "total_iters",
    "maxLr": "max_lr",
    "totalSteps": "total_steps",
    "pctStart": "pct_start",
    "annealStrategy": "anneal_strategy",
    "divFactor": "div_factor",
    "finalDivFactor": "final_div_factor",
    "threePhase": "three_phase",
    "gamma": "gamma",
}


def torch_scheduler(spec, opt):
    kind, options = spec["kind"], dict(spec["options"])
    if kind == "SequentialLR":
        parts = [torch_scheduler(s, opt) for s in options["schedulers"]]
        return torch.optim.lr_scheduler.SequentialLR(opt, parts, milestones=options["milestones"])
    args = {SCHEDULER_ARGS[k]: v for k, v in options.items()}
    if kind == "OneCycleLR":
        args["cycle_momentum"] = False
    return getattr(torch.optim.lr_scheduler, kind)(opt, **args)


def forward(params, x):
    w1, b1, w2, b2 = params
    hidden = torch.relu(x @ w1.t() + b1)
    return hidden @ w2.t() + b2


def loss_of(params, x, labels):
    return F.cross_entropy(forward(params, x), labels.long())


def fresh(initial):
    return [p.clone().requires_grad_(True) for p in initial]


def initial_parameters():
    """nn.Linear's default initialization, rounded to 4 decimals so the file stays readable."""
    torch.manual_seed(3)
    layers = [torch.nn.Linear(6, 5), torch.nn.Linear(5, 3)]
    raw = [layers[0].weight, layers[0].bias, layers[1].weight, layers[1].bias]
    return [(torch.round(p.detach().double() * 1e4) / 1e4).float() for p in raw]


def run(kind, options, steps, initial, x, labels):
    params = fresh(initial)
    opt = torch_optimizer(kind, params, options)
    losses = []
    for _ in range(steps):
        opt.zero_grad()
        loss = loss_of(params, x, labels)
        loss.backward()
        opt.step()
        losses.append(float(loss))
    return losses, params


def scheduled_run(kind, options, steps, scheduler, clip, initial, x, labels):
    params = fresh(initial)
    opt = torch_optimizer(kind, params, options)
    sched = torch_scheduler(scheduler, opt) if scheduler else None
    losses, lrs, norms = [], [], []
    for _ in range(steps):
        lrs.append(opt.param_groups[0]["lr"])
        opt.zero_grad()
        loss = loss_of(params, x, labels)
        loss.backward()
        if clip is not None:
            norms.append(float(torch.nn.utils.clip_grad_norm_(params, clip)))
        opt.step()
        if sched:
            sched.step()
        losses.append(float(loss))
    return losses, lrs, norms, params


def named(tensors):
    return {n: tensor_json(t) for n, t in zip(PARAM_NAMES, tensors)}


def check_well_conditioned(initial, x, labels):
    """Adam normalizes each gradient entry, so a near-zero one would amplify float32 noise."""
    params = fresh(initial)
    loss_of(params, x, labels).backward()
    for p in params:
        g = p.grad.abs()
        assert bool(((g == 0) | (g > 1e-4)).all()), "pick another seed: a gradient entry is nearly 0"
    pre = x @ initial[0].t() + initial[1]
    assert bool((pre.abs() > 1e-3).all()), "pick another seed: a pre-activation is nearly 0"


def build():
    reseed(4)
    initial = initial_parameters()
    x = randn(8, 6)
    labels = randint(3, 8)
    check_well_conditioned(initial, x, labels)
    params = fresh(initial)
    loss = loss_of(params, x, labels)
    loss.backward()
    runs = []
    for name, kind, options, steps in RUNS:
        losses, after = run(kind, options, steps, initial, x, labels)
        runs.append({"name": name, "optimizer": kind, "options": options, "steps": steps, "losses": losses, "params": named(after)})
    for name, kind, options, steps, scheduler, clip in SCHEDULED:
        losses, lrs, norms, after = scheduled_run(kind, options, steps, scheduler, clip, initial, x, labels)
        entry = {"name": name, "optimizer": kind, "options": options, "steps": steps, "losses": losses, "params": named(after), "lrs": lrs}
        if scheduler:
            entry["scheduler"] = scheduler
        if clip is not None:
            entry["clipGradNorm"] = clip
            entry["gradNorms"] = norms
        runs.append(entry)
    return {
        "description": "logits = relu(x @ W1^T + b1) @ W2^T + b2; loss = crossEntropy(logits, labels) (mean). Each run starts from params; each step: zeroGrad, loss, backward, step. losses[i] is the loss before step i+1.",
        "x": tensor_json(x),
        "labels": tensor_json(labels),
        "params": named(initial),
        "loss": tensor_json(loss),
        "grads": named([p.grad for p in params]),
        "runs": runs,
    }
