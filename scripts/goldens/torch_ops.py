"""Each surrograd op name, as PyTorch computes it, taking surrograd's argument names.

The golden files store these names and kwargs verbatim, so the table is the single
place where surrograd's API is matched to PyTorch's.
"""
import torch
import torch.nn.functional as F


def _dims(x, axis):
    if axis is None:
        return tuple(range(x.dim()))
    return (axis,) if isinstance(axis, int) else tuple(axis)


def _reduce(torch_fn):
    def op(x, axis=None, keepDims=False):
        if x.dim() == 0:
            # PyTorch reduces a 0-d tensor over dim () or 0; both are the identity.
            return torch_fn(x.reshape(1), (0,), False).reshape(())
        return torch_fn(x, _dims(x, axis), keepDims)

    return op


def _gather(x, indices, axis):
    """numpy take: x.shape[:axis] + indices.shape + x.shape[axis+1:]."""
    axis = axis % x.dim()
    picked = x.index_select(axis, indices.reshape(-1).long())
    return picked.reshape(x.shape[:axis] + indices.shape + x.shape[axis + 1 :])


def _slice(x, begin, size):
    index = tuple(slice(b, None if s == -1 else b + s) for b, s in zip(begin, size))
    return x[index]


def _clamp(x, min=None, max=None):
    return torch.clamp(x, min=min, max=max)


def _pieces(parts):
    """Several outputs as one tensor: piece i flattened and scaled by i + 1, concatenated."""
    return torch.cat([p.reshape(-1) * (i + 1) for i, p in enumerate(parts)])


def _axis_reduce(torch_fn):
    def op(x, axis=None, keepDims=False, **kw):
        if axis is None:
            return torch_fn(x, **kw)
        return torch_fn(x, dim=axis, keepdim=keepDims, **kw)

    return op


def _var(torch_fn):
    def op(x, axis=None, keepDims=False, correction=1):
        dims = tuple(range(x.dim())) if axis is None else axis
        return torch_fn(x, dim=dims, unbiased=correction == 1, keepdim=keepDims)

    return op


def _norm(x, p=2, axis=None, keepDims=False):
    order = float("inf") if p == "Infinity" else p
    return torch.linalg.vector_norm(x, ord=order, dim=axis, keepdim=keepDims)


def _lerp(a, b, weight):
    return torch.lerp(a, b, weight)


OPS = {
    "add": lambda a, b: a + b,
    "sub": lambda a, b: a - b,
    "mul": lambda a, b: a * b,
    "div": lambda a, b: a / b,
    "pow": lambda a, b: torch.pow(a, b),
    "neg": torch.neg,
    "exp": torch.exp,
    "log": torch.log,
    "sqrt": torch.sqrt,
    "abs": torch.abs,
    "relu": torch.relu,
    "sigmoid": torch.sigmoid,
    "tanh": torch.tanh,
    "leakyRelu": lambda x, slope: F.leaky_relu(x, slope),
    "matmul": torch.matmul,
    "sum": _reduce(lambda x, d, k: torch.sum(x, d, keepdim=k)),
    "mean": _reduce(lambda x, d, k: torch.mean(x, d, keepdim=k)),
    # amax: values only, and its gradient is shared evenly among tied maxima.
    "max": _reduce(lambda x, d, k: torch.amax(x, d, keepdim=k)),
    "logSumExp": _reduce(lambda x, d, k: torch.logsumexp(x, d, keepdim=k)),
    "softmax": lambda x, axis=-1: torch.softmax(x, axis),
    "logSoftmax": lambda x, axis=-1: torch.log_softmax(x, axis),
    "reshape": lambda x, shape: x.reshape(shape),
    "transpose": lambda x, dim0=-2, dim1=-1: x.transpose(dim0, dim1),
    "permute": lambda x, dims: x.permute(dims),
    "broadcastTo": lambda x, shape: x.expand(shape),
    "sumToSize": lambda x, shape: x.sum_to_size(shape),
    "slice": _slice,
    "concat": lambda *xs, axis: torch.cat(xs, axis),
    "gather": _gather,
    "clamp": _clamp,
    "where": lambda cond, a, b: torch.where(cond, a, b),
    "maximum": torch.maximum,
    "minimum": torch.minimum,
    "crossEntropy": lambda logits, labels: F.cross_entropy(logits, labels.long()),
    "mseLoss": F.mse_loss,
    # The vocabulary (ops_vocabulary.py)
    "narrow": lambda x, dim, start, length: x.narrow(dim, start, length),
    "select": lambda x, dim, index: x.select(dim, index),
    "unbind": lambda x, dim=0: _pieces(x.unbind(dim)),
    "chunk": lambda x, chunks, dim=0: _pieces(x.chunk(chunks, dim)),
    "split": lambda x, splitSizeOrSections, dim=0: _pieces(x.split(splitSizeOrSections, dim)),
    "expand": lambda x, sizes: x.expand(sizes),
    "repeat": lambda x, repeats: x.repeat(repeats),
    "indexSelect": lambda x, index, dim: x.index_select(dim, index.long()),
    "flip": lambda x, dims: torch.flip(x, dims),
    "roll": lambda x, shifts, dims=None: torch.roll(x, shifts, dims),
    "var": _var(torch.var),
    "std": _var(torch.std),
    "norm": _norm,
    "tril": lambda x, diagonal=0: torch.tril(x, diagonal),
    "triu": lambda x, diagonal=0: torch.triu(x, diagonal),
    "outer": torch.outer,
    "cumsum": lambda x, dim: torch.cumsum(x, dim),
    "prod": lambda x, axis=None, keepDims=False: torch.prod(x) if axis is None else torch.prod(x, axis, keepdim=keepDims),
    "remainder": torch.remainder,
    "hypot": torch.hypot,
    "atan2": torch.atan2,
    "fmod": torch.fmod,
    "lerp": _lerp,
    "any": _axis_reduce(torch.any),
    "all": _axis_reduce(torch.all),
    "isnan": torch.isnan,
    "oneHot": lambda x, numClasses: F.one_hot(x.long(), numClasses).int(),
    "linspace": lambda start, end, steps: torch.linspace(start, end, steps),
    "sortValues": lambda x, dim=-1, descending=False: torch.sort(x, dim=dim, descending=descending, stable=True).values,
    "sortIndices": lambda x, dim=-1, descending=False: torch.sort(x, dim=dim, descending=descending, stable=True).indices.int(),
    "topkValues": lambda x, k, dim=-1, largest=True: torch.topk(x, k, dim, largest=largest).values,
    "topkIndices": lambda x, k, dim=-1, largest=True: torch.topk(x, k, dim, largest=largest).indices.int(),
    "einsum": lambda *xs, equation: torch.einsum(equation, *xs),
    "eye": lambda n, m=None: torch.eye(n, n if m is None else m),
}


# The layers' functional forms (ops_layers.py), surrograd's option names as keyword arguments.
def _conv_padding(padding):
    return tuple(padding) if isinstance(padding, list) else padding


def _conv2d(x, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    return F.conv2d(x, weight, bias, stride=_pair(stride), padding=_conv_padding(padding), dilation=_pair(dilation), groups=groups)


def _conv1d(x, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    return F.conv1d(x, weight, bias, stride=stride, padding=padding, dilation=dilation, groups=groups)


def _pair(v):
    return tuple(v) if isinstance(v, list) else v


def _max_pool2d(x, kernelSize, stride=None, padding=0, dilation=1, ceilMode=False):
    return F.max_pool2d(x, _pair(kernelSize), _pair(stride), _pair(padding), _pair(dilation), ceil_mode=ceilMode)


def _avg_pool2d(x, kernelSize, stride=None, padding=0, ceilMode=False, countIncludePad=True, divisorOverride=None):
    return F.avg_pool2d(x, _pair(kernelSize), _pair(stride), _pair(padding), ceilMode, countIncludePad, divisorOverride)


def _batch_norm(x, weight=None, bias=None, runningMean=None, runningVar=None, training=False, momentum=0.1, eps=1e-5):
    rm = None if runningMean is None else torch.tensor(runningMean, dtype=torch.float32)
    rv = None if runningVar is None else torch.tensor(runningVar, dtype=torch.float32)
    return F.batch_norm(x, rm, rv, weight, bias, training, momentum, eps)


def _batch_norm_running(x, runningMean, runningVar, momentum=0.1):
    """The running statistics after one training step, concatenated (mean, then variance)."""
    rm = torch.tensor(runningMean, dtype=torch.float32)
    rv = torch.tensor(runningVar, dtype=torch.float32)
    F.batch_norm(x, rm, rv, None, None, True, momentum, 1e-5)
    return torch.cat([rm, rv])


OPS.update(
    {
        "conv2d": _conv2d,
        "conv1d": _conv1d,
        "unfold": lambda x, kernelSize, dilation=1, padding=0, stride=1: F.unfold(x, _pair(kernelSize), _pair(dilation), _pair(padding), _pair(stride)),
        "maxPool2d": _max_pool2d,
        "avgPool2d": _avg_pool2d,
        "adaptiveAvgPool2d": lambda x, outputSize: F.adaptive_avg_pool2d(x, _pair(outputSize)),
        "layerNorm": lambda x, weight=None, bias=None, normalizedShape=None, eps=1e-5: F.layer_norm(x, normalizedShape, weight, bias, eps),
        "groupNorm": lambda x, weight=None, bias=None, numGroups=1, eps=1e-5: F.group_norm(x, numGroups, weight, bias, eps),
        "batchNorm": _batch_norm,
        "batchNormRunningStats": _batch_norm_running,
        "embedding": lambda indices, weight, paddingIdx=None: F.embedding(indices.long(), weight, padding_idx=paddingIdx),
        "unflatten": lambda x, dim, sizes: x.unflatten(dim, sizes),
        "convTranspose2d": lambda x, weight, bias=None, stride=1, padding=0, outputPadding=0, groups=1, dilation=1: F.conv_transpose2d(
            x, weight, bias, _pair(stride), _pair(padding), _pair(outputPadding), groups, _pair(dilation)
        ),
        "interpolate": lambda x, size=None, scaleFactor=None, mode="nearest", alignCorners=None: F.interpolate(
            x, size=_pair(size), scale_factor=_pair(scaleFactor), mode=mode, align_corners=alignCorners
        ),
        "fold": lambda x, outputSize, kernelSize, dilation=1, padding=0, stride=1: F.fold(x, _pair(outputSize), _pair(kernelSize), _pair(dilation), _pair(padding), _pair(stride)),
    }
)
