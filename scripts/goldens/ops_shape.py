"""Ops that move values without arithmetic: their gradients route or sum the cotangent back."""
import torch

from cases import randint, randn, vjp_case
from ops_elementwise import fmt


def reshape_cases():
    return [
        vjp_case("reshape/[2,3,4]->[6,4]", "reshape", [randn(2, 3, 4)], {"shape": [6, 4]}),
        vjp_case("reshape/[2,3,4]->[24]", "reshape", [randn(2, 3, 4)], {"shape": [24]}),
        vjp_case("reshape/[2,3,4]->[4,-1]", "reshape", [randn(2, 3, 4)], {"shape": [4, -1]}),
        vjp_case("reshape/[]->[1,1]", "reshape", [randn()], {"shape": [1, 1]}),
        vjp_case("reshape/[1]->[]", "reshape", [randn(1)], {"shape": []}),
        vjp_case("reshape/[0,3]->[3,0]", "reshape", [randn(0, 3)], {"shape": [3, 0]}),
    ]


def transpose_cases():
    return [
        vjp_case("transpose/[2,3]/default", "transpose", [randn(2, 3)]),
        vjp_case("transpose/[2,3,4]/0,2", "transpose", [randn(2, 3, 4)], {"dim0": 0, "dim1": 2}),
        vjp_case("transpose/[2,3,4]/-1,-2", "transpose", [randn(2, 3, 4)], {"dim0": -1, "dim1": -2}),
        vjp_case("transpose/[1,5]/default", "transpose", [randn(1, 5)]),
        vjp_case("permute/[2,3,4]/[2,0,1]", "permute", [randn(2, 3, 4)], {"dims": [2, 0, 1]}),
        vjp_case("permute/[2,3,4,5]/[1,3,0,2]", "permute", [randn(2, 3, 4, 5)], {"dims": [1, 3, 0, 2]}),
        vjp_case("permute/[3]/[0]", "permute", [randn(3)], {"dims": [0]}),
    ]


def broadcast_cases():
    pairs = [((3,), (2, 3)), ((2, 1), (2, 3)), ((), (2, 2)), ((1, 3), (4, 2, 3)), ((2, 3), (2, 3)), ((1,), (0,))]
    out = [vjp_case(f"broadcastTo/{fmt(a)}->{fmt(b)}", "broadcastTo", [randn(*a)], {"shape": list(b)}) for a, b in pairs]
    sums = [((2, 3), (3,)), ((2, 3), (1, 3)), ((4, 2, 3), (2, 1)), ((2, 3), ()), ((2, 3), (2, 3)), ((0, 3), (3,))]
    out += [vjp_case(f"sumToSize/{fmt(a)}->{fmt(b)}", "sumToSize", [randn(*a)], {"shape": list(b)}) for a, b in sums]
    return out


def slice_cases():
    specs = [
        ((5,), [1], [3]),
        ((5,), [2], [-1]),
        ((4, 5), [1, 2], [2, -1]),
        ((2, 3, 4), [0, 1, 1], [2, 2, -1]),
        ((2, 3, 4), [1, 0, 3], [1, -1, 1]),
        ((5,), [1], [0]),
    ]
    return [
        vjp_case(f"slice/{fmt(s)}/begin={fmt(b)}/size={fmt(z)}", "slice", [randn(*s)], {"begin": b, "size": z})
        for s, b, z in specs
    ]


def concat_cases():
    return [
        vjp_case("concat/axis=0/[2,3]+[1,3]+[3,3]", "concat", [randn(2, 3), randn(1, 3), randn(3, 3)], {"axis": 0}),
        vjp_case("concat/axis=1/[2,3]+[2,1]", "concat", [randn(2, 3), randn(2, 1)], {"axis": 1}),
        vjp_case("concat/axis=-1/[2,2,3]+[2,2,2]", "concat", [randn(2, 2, 3), randn(2, 2, 2)], {"axis": -1}),
        vjp_case("concat/axis=0/[2,3]+[0,3]", "concat", [randn(2, 3), randn(0, 3)], {"axis": 0}),
        vjp_case("concat/axis=0/[1]+[1]", "concat", [randn(1), randn(1)], {"axis": 0}),
    ]


def gather_cases():
    repeated = torch.tensor([0, 2, 2, 4], dtype=torch.int32)
    return [
        vjp_case("gather/[5,3]/indices [4] repeated/axis=0", "gather", [randn(5, 3), repeated], {"axis": 0}),
        vjp_case("gather/[3,5]/indices [4] repeated/axis=1", "gather", [randn(3, 5), repeated], {"axis": 1}),
        vjp_case("gather/[5,3]/indices [2,3]/axis=0", "gather", [randn(5, 3), randint(5, 2, 3)], {"axis": 0}),
        vjp_case("gather/[2,3,4]/indices [2,2]/axis=1", "gather", [randn(2, 3, 4), randint(3, 2, 2)], {"axis": 1}),
        vjp_case("gather/[2,3,4]/indices [3]/axis=-1", "gather", [randn(2, 3, 4), randint(4, 3)], {"axis": -1}),
        vjp_case("gather/[4]/indices []/axis=0", "gather", [randn(4), torch.tensor(2, dtype=torch.int32)], {"axis": 0}),
        vjp_case("gather/[4,2]/indices [0]/axis=0", "gather", [randn(4, 2), torch.zeros(0, dtype=torch.int32)], {"axis": 0}),
    ]


def cases():
    return reshape_cases() + transpose_cases() + broadcast_cases() + slice_cases() + concat_cases() + gather_cases()
