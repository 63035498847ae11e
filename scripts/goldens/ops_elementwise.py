"""Elementwise unary and binary ops on ordinary values, across shapes and broadcasting."""
from cases import positive, randn, vjp_case

UNARY_SHAPES = [(), (1,), (7,), (2, 3), (0,), (2, 0, 3)]

BROADCAST_PAIRS = [
    ((2, 3), (2, 3)),
    ((2, 3), (3,)),
    ((3,), (2, 3)),
    ((2, 1), (1, 3)),
    ((4, 1, 3), (2, 3)),
    ((2, 3), ()),
    ((), (2, 3)),
    ((), ()),
    ((1,), (5,)),
    ((5,), (1,)),
    ((3, 1, 1), (1, 4, 1)),
    ((2, 1, 3, 1, 2), (3, 4, 1)),
    ((0, 3), (3,)),
    ((2, 0), (2, 1)),
]


def fmt(shape):
    return "[" + ",".join(str(d) for d in shape) + "]"


def unary_cases():
    out = []
    for op in ["neg", "exp", "abs", "relu", "sigmoid", "tanh"]:
        for shape in UNARY_SHAPES:
            out.append(vjp_case(f"{op}/{fmt(shape)}", op, [randn(*shape)]))
    for op in ["log", "sqrt"]:
        for shape in UNARY_SHAPES:
            out.append(vjp_case(f"{op}/{fmt(shape)}", op, [positive(*shape)]))
    for slope in [0.01, 0.2]:
        for shape in [(), (7,), (2, 3), (0,)]:
            out.append(vjp_case(f"leakyRelu/slope={slope}/{fmt(shape)}", "leakyRelu", [randn(*shape)], {"slope": slope}))
    return out


def binary_cases():
    out = []
    for op in ["add", "sub", "mul", "div", "maximum", "minimum"]:
        for a, b in BROADCAST_PAIRS:
            x = randn(*a)
            y = positive(*b) if op == "div" else randn(*b)
            out.append(vjp_case(f"{op}/{fmt(a)}&{fmt(b)}", op, [x, y]))
    for a, b in [((2, 3), (2, 3)), ((2, 3), (3,)), ((2, 1), (1, 3)), ((), (4,)), ((0,), (1,))]:
        out.append(vjp_case(f"pow/{fmt(a)}&{fmt(b)}", "pow", [positive(*a), randn(*b)]))
    return out


def number_operand_cases():
    """Binary ops with a plain number as the second operand; its gradient is null."""
    out = []
    for op, number in [("add", 2), ("sub", 1.5), ("mul", -3), ("div", 4)]:
        for shape in [(), (2, 3)]:
            out.append(vjp_case(f"{op}/number {number}/{fmt(shape)}", op, [randn(*shape), number]))
    for number in [2, 3, 0.5, -1.5, 0]:
        for shape in [(), (2, 3)]:
            out.append(vjp_case(f"pow/number {number}/{fmt(shape)}", "pow", [positive(*shape), number]))
    return out


def cases():
    return unary_cases() + binary_cases() + number_operand_cases()
