"""JSON encoding of float32 tensors for the golden files.

JSON has no NaN, Infinity or -0, so those travel as strings inside data arrays.
Finite floats are written as the shortest decimal that reads back to the same
float32, so a JS `Float32Array` built from the parsed numbers holds exactly the
bits PyTorch computed, and the files stay small.
"""
import json
import math

import numpy as np
import torch


class F32:
    """A float32 value to be written by its shortest round-trip decimal."""

    __slots__ = ("value",)

    def __init__(self, value):
        self.value = np.float32(value)


def float_token(v):
    v = np.float32(v)
    if math.isnan(v):
        return '"NaN"'
    if math.isinf(v):
        return '"Infinity"' if v > 0 else '"-Infinity"'
    if v == 0:
        return '"-0"' if math.copysign(1.0, float(v)) < 0 else "0"
    text = np.format_float_positional(v, unique=True, trim="-")
    sci = np.format_float_scientific(v, unique=True, trim="-")
    # Pick the shorter spelling; both are valid JSON numbers.
    token = sci if len(sci) < len(text) else text
    assert np.float32(float(token)) == v, (token, v)
    return token


DTYPE_NAMES = {
    torch.float32: "float32",
    torch.int32: "int32",
    torch.int64: "int32",
    torch.bool: "bool",
}


def tensor_json(t):
    """A tensor as {shape, dtype, data}; data flat, row-major."""
    t = t.detach().contiguous()
    dtype = DTYPE_NAMES[t.dtype]
    flat = t.reshape(-1).tolist()
    if dtype == "float32":
        data = [F32(v) for v in flat]
    elif dtype == "bool":
        data = [bool(v) for v in flat]
    else:
        data = [int(v) for v in flat]
    return {"shape": list(t.shape), "dtype": dtype, "data": data}


def dumps(obj, indent=0):
    """Like json.dumps, but F32 leaves use float_token and data arrays stay on one line."""
    pad = "  " * indent
    inner = "  " * (indent + 1)
    if isinstance(obj, F32):
        return float_token(obj.value)
    if isinstance(obj, float):
        return float_token(obj) if np.float32(obj) == obj or not math.isfinite(obj) else json.dumps(obj)
    if isinstance(obj, (bool, int, str)) or obj is None:
        return json.dumps(obj)
    if isinstance(obj, (list, tuple)):
        if all(not isinstance(v, (dict, list, tuple)) for v in obj):
            return "[" + ",".join(dumps(v) for v in obj) + "]"
        return "[\n" + ",\n".join(inner + dumps(v, indent + 1) for v in obj) + "\n" + pad + "]"
    if isinstance(obj, dict):
        if "data" in obj and "shape" in obj:
            parts = [f"{json.dumps(k)}:{dumps(v)}" for k, v in obj.items()]
            return "{" + ",".join(parts) + "}"
        parts = [f"{inner}{json.dumps(k)}: {dumps(v, indent + 1)}" for k, v in obj.items()]
        return "{\n" + ",\n".join(parts) + "\n" + pad + "}"
    raise TypeError(f"cannot encode {type(obj).__name__}")


def write_json(path, obj):
    text = dumps(obj) + "\n"
    json.loads(text)  # a malformed file must never be written
    with open(path, "w") as f:
        f.write(text)
    return len(text)
