"""ops.json: every op's value and vector-Jacobian product, ordinary and edge inputs."""
import ops_edge
import ops_elementwise
import ops_layers
import ops_misc
import ops_reduce
import ops_shape
import ops_vocabulary
from cases import reseed


def build():
    reseed(1)
    cases = ops_elementwise.cases() + ops_reduce.cases() + ops_shape.cases() + ops_misc.cases() + ops_edge.cases() + ops_vocabulary.cases() + ops_layers.cases()
    names = [c["name"] for c in cases]
    duplicates = {n for n in names if names.count(n) > 1}
    assert not duplicates, duplicates
    return {
        "description": "PyTorch 1.13 float32 goldens: out = op(*inputs, **kwargs); grads[i] = d sum(out * cotangent) / d inputs[i] (null: not differentiable). Non-finite and -0 values are the strings NaN, Infinity, -Infinity, -0.",
        "cases": cases,
    }
