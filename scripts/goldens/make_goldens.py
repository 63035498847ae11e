#!/usr/bin/python3
"""Writes the golden files of @surrograd/conformance from PyTorch.

Run with Debian's python3-torch (PyTorch 1.13):  /usr/bin/python3 scripts/goldens/make_goldens.py
Deterministic: fixed seeds, float32 arithmetic, single-threaded so reductions sum in one order.
"""
import os
import sys

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.dont_write_bytecode = True  # keep __pycache__ out of the repository
OUT_DIR = os.path.join(HERE, "..", "..", "packages", "conformance", "goldens")

import make_activations  # noqa: E402
import make_double_backward  # noqa: E402
import make_forward_ad  # noqa: E402
import make_hooks  # noqa: E402
import make_in_place  # noqa: E402
import make_learnable_surrogates  # noqa: E402
import make_mlp  # noqa: E402
import make_ops  # noqa: E402
import make_snn  # noqa: E402
import make_state_dict  # noqa: E402
import make_surrogates  # noqa: E402
import make_thread  # noqa: E402
from encode import write_json  # noqa: E402

FILES = {
    "ops.json": make_ops.build,
    "thread.json": make_thread.build,
    "mlp.json": make_mlp.build,
    "double-backward.json": make_double_backward.build,
    "activations.json": make_activations.build,
    "in-place.json": make_in_place.build,
    "hooks.json": make_hooks.build,
    "forward-ad.json": make_forward_ad.build,
    "state-dict.json": make_state_dict.build,
    "surrogates.json": make_surrogates.build,
    "snn.json": make_snn.build,
    "learnable-surrogates.json": make_learnable_surrogates.build,
}

# Files of other packages than the kit: where each is written instead of OUT_DIR.
OUT_DIRS = {"snn.json": os.path.join(HERE, "..", "..", "packages", "snn", "goldens")}


def main():
    torch.set_num_threads(1)
    torch.manual_seed(0)
    torch.set_default_dtype(torch.float32)
    os.makedirs(OUT_DIR, exist_ok=True)
    wanted = sys.argv[1:] or list(FILES)
    for name in wanted:
        data = FILES[name]()
        out_dir = OUT_DIRS.get(name, OUT_DIR)
        os.makedirs(out_dir, exist_ok=True)
        size = write_json(os.path.join(out_dir, name), {"generator": f"scripts/goldens/make_goldens.py, torch {torch.__version__}", **data})
        count = len(data.get("cases", data.get("runs", [])))
        print(f"{name}: {count} cases or runs, {size / 1024:.1f} KiB")


if __name__ == "__main__":
    main()
