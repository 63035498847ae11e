"""state-dict.json: a small CNN's state dict written by PyTorch as a safetensors file, its output
in evaluation, and a file of every dtype the reader handles.

The safetensors bytes are written here from torch tensors by the format's rules (the
`safetensors` package is not in Debian): 8-byte little-endian header length, JSON header with
dtype, shape and data_offsets per tensor and `__metadata__`, padded with spaces to 8 bytes,
then the little-endian data in header order.
"""
import base64
import json
import struct

import torch
import torch.nn as nn

from encode import tensor_json

DTYPES = {
    torch.float32: "F32",
    torch.float64: "F64",
    torch.float16: "F16",
    torch.bfloat16: "BF16",
    torch.int64: "I64",
    torch.int32: "I32",
    torch.int16: "I16",
    torch.int8: "I8",
    torch.uint8: "U8",
    torch.bool: "BOOL",
}


def safetensors_bytes(tensors, metadata=None):
    header = {}
    if metadata:
        header["__metadata__"] = metadata
    chunks, offset = [], 0
    for name, t in tensors.items():
        t = t.detach().contiguous()
        # Raw bytes of the tensor's storage (x86 is little-endian); bfloat16 via its int16 view.
        raw = (t.view(torch.int16) if t.dtype == torch.bfloat16 else t).numpy().tobytes()
        header[name] = {"dtype": DTYPES[t.dtype], "shape": list(t.shape), "data_offsets": [offset, offset + len(raw)]}
        chunks.append(raw)
        offset += len(raw)
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    return struct.pack("<Q", len(text)) + text + b"".join(chunks)


class Net(nn.Module):
    """The model the kit builds in surrograd too (suites/state.ts)."""

    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(1, 4, 3, padding=1),
            nn.BatchNorm2d(4),
            nn.ReLU(),
            nn.MaxPool2d(2),
            nn.Conv2d(4, 6, 3, groups=2),
            nn.GroupNorm(2, 6),
        )
        self.head = nn.Sequential(nn.Flatten(), nn.Dropout(0.5), nn.Linear(24, 3), nn.LayerNorm(3))

    def forward(self, x):
        return self.head(self.features(x))


def build():
    torch.manual_seed(11)
    net = Net()
    # Two training batches so the running statistics and num_batches_tracked are not the defaults;
    # the affine parameters are perturbed so a loader that skipped them would show.
    net.train()
    for _ in range(2):
        net.features[:2](torch.randn(5, 1, 8, 8) * 2 + 0.5)
    with torch.no_grad():
        for name, p in net.named_parameters():
            p.add_(torch.randn(p.shape) * 0.1)
    net.eval()
    x = torch.round(torch.randn(2, 1, 8, 8) * 100) / 100
    out = net(x)
    state = net.state_dict()
    model_file = safetensors_bytes(state, {"format": "pt", "source": "scripts/goldens/make_state_dict.py"})

    every = {
        "f32": torch.tensor([1.5, -2.25, 3.0e-8]),
        "f64": torch.tensor([[0.1, -1e300]], dtype=torch.float64),
        "f16": torch.tensor([1.0, -0.333, 65504.0, 6.0e-8, float("inf")], dtype=torch.float16),
        "bf16": torch.tensor([1.0, -3.140625, 1e30], dtype=torch.bfloat16),
        "i64": torch.tensor([0, -7, 2147483647], dtype=torch.int64),
        "i32": torch.tensor([[1, -2], [3, -2147483648]], dtype=torch.int32),
        "i16": torch.tensor([-300, 300], dtype=torch.int16),
        "i8": torch.tensor([-5, 5], dtype=torch.int8),
        "u8": torch.tensor([0, 255], dtype=torch.uint8),
        "bool": torch.tensor([True, False, True]),
        "empty": torch.zeros(0, 3),
        "scalar": torch.tensor(2.5),
    }
    dtype_file = safetensors_bytes(every, {"note": "every dtype"})
    # What each loads as: F16/BF16 → float32 values, integers → int32, F64 → float64 (float32 where absent).
    expected = {k: (v.double().tolist() if v.is_floating_point() else v.long().tolist()) for k, v in every.items()}
    return {
        "description": "A CNN's state dict (PyTorch's keys) as a safetensors file written from torch tensors, the model's output in evaluation for `input`, and a file with every dtype the reader handles.",
        "model": {
            "file": base64.b64encode(model_file).decode(),
            "keys": list(state.keys()),
            "input": tensor_json(x),
            "output": tensor_json(out.detach()),
        },
        "dtypes": {
            "file": base64.b64encode(dtype_file).decode(),
            "metadata": {"note": "every dtype"},
            "shapes": {k: list(v.shape) for k, v in every.items()},
            "values": expected,
        },
    }
