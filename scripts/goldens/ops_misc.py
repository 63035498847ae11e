"""matmul in every rank combination, clamp, where, and the two losses."""
import torch

from cases import randint, randn, vjp_case
from ops_elementwise import fmt

MATMUL_SHAPES = [
    ((3, 4), (4, 5)),
    ((1, 1), (1, 1)),
    ((2, 3, 4), (2, 4, 5)),
    ((2, 3, 4), (1, 4, 5)),
    ((3, 4), (2, 4, 5)),
    ((2, 1, 3, 4), (5, 4, 2)),
    ((4,), (4, 5)),
    ((3, 4), (4,)),
    ((4,), (4,)),
    ((2, 3, 4), (4,)),
    ((4,), (2, 4, 5)),
    ((2, 0), (0, 3)),
    ((0, 4), (4, 3)),
]


def matmul_cases():
    return [vjp_case(f"matmul/{fmt(a)}@{fmt(b)}", "matmul", [randn(*a), randn(*b)]) for a, b in MATMUL_SHAPES]


def clamp_cases():
    # Values sit exactly on the bounds: PyTorch passes the gradient there (min <= x <= max).
    x = torch.tensor([[-2.0, -1.0, -0.5, 0.0], [0.5, 1.0, 1.5, 3.0]])
    return [
        vjp_case("clamp/min,max/on bounds", "clamp", [x], {"min": -1, "max": 1}),
        vjp_case("clamp/min only", "clamp", [x], {"min": -0.5}),
        vjp_case("clamp/max only", "clamp", [x], {"max": 0.5}),
        vjp_case("clamp/[]", "clamp", [randn()], {"min": -0.1, "max": 0.1}),
        vjp_case("clamp/[0]", "clamp", [randn(0)], {"min": 0, "max": 1}),
    ]


def where_cases():
    cond = torch.tensor([[True, False, True], [False, False, True]])
    return [
        vjp_case("where/[2,3]/[2,3]/[2,3]", "where", [cond, randn(2, 3), randn(2, 3)]),
        vjp_case("where/[2,3]/[3]/[]", "where", [cond, randn(3), randn()]),
        vjp_case("where/[3]/[2,1]/[2,3]", "where", [cond[0], randn(2, 1), randn(2, 3)]),
        vjp_case("where/[]/[2]/[2]", "where", [torch.tensor(False), randn(2), randn(2)]),
    ]


def loss_cases():
    return [
        vjp_case("crossEntropy/[4,5]", "crossEntropy", [randn(4, 5), randint(5, 4)]),
        vjp_case("crossEntropy/[1,3]", "crossEntropy", [randn(1, 3), torch.tensor([2], dtype=torch.int32)]),
        vjp_case("crossEntropy/[6,2]", "crossEntropy", [randn(6, 2) * 4, randint(2, 6)]),
        vjp_case("mseLoss/[3,4]", "mseLoss", [randn(3, 4), randn(3, 4)]),
        vjp_case("mseLoss/[5]", "mseLoss", [randn(5), randn(5)]),
        vjp_case("mseLoss/[]", "mseLoss", [randn(), randn()]),
    ]


def cases():
    return matmul_cases() + clamp_cases() + where_cases() + loss_cases()
