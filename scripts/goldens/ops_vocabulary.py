"""The PyTorch vocabulary built on the core ops: views, statistics, structure, composites.

Ops with several outputs (chunk, split, unbind) are compared as one tensor: each piece flattened
and multiplied by its position + 1, then concatenated, so a wrong boundary shows.
"""
import torch

from cases import positive, randint, randn, value_case, vjp_case
from ops_elementwise import fmt


def view_cases():
    return [
        vjp_case("narrow/[4,5]/dim=1/start=1/length=3", "narrow", [randn(4, 5)], {"dim": 1, "start": 1, "length": 3}),
        vjp_case("narrow/[6]/start=-2/length=2", "narrow", [randn(6)], {"dim": 0, "start": -2, "length": 2}),
        vjp_case("select/[3,4]/dim=0/index=1", "select", [randn(3, 4)], {"dim": 0, "index": 1}),
        vjp_case("select/[2,3,4]/dim=-1/index=-1", "select", [randn(2, 3, 4)], {"dim": -1, "index": -1}),
        vjp_case("unbind/[3,2]/dim=0", "unbind", [randn(3, 2)], {"dim": 0}),
        vjp_case("unbind/[2,3]/dim=1", "unbind", [randn(2, 3)], {"dim": 1}),
        vjp_case("chunk/[7,2]/chunks=3", "chunk", [randn(7, 2)], {"chunks": 3, "dim": 0}),
        vjp_case("chunk/[2,5]/chunks=4/dim=1", "chunk", [randn(2, 5)], {"chunks": 4, "dim": 1}),
        vjp_case("split/[7]/size=3", "split", [randn(7)], {"splitSizeOrSections": 3, "dim": 0}),
        vjp_case("split/[2,6]/sections=[1,3,2]/dim=1", "split", [randn(2, 6)], {"splitSizeOrSections": [1, 3, 2], "dim": 1}),
        vjp_case("expand/[3,1]->[2,3,4]", "expand", [randn(3, 1)], {"sizes": [2, 3, 4]}),
        vjp_case("expand/[1,3]->[4,-1]", "expand", [randn(1, 3)], {"sizes": [4, -1]}),
        vjp_case("repeat/[2,3]/[2,2]", "repeat", [randn(2, 3)], {"repeats": [2, 2]}),
        vjp_case("repeat/[3]/[2,1,2]", "repeat", [randn(3)], {"repeats": [2, 1, 2]}),
        vjp_case("repeat/[2,2]/[1,0]", "repeat", [randn(2, 2)], {"repeats": [1, 0]}),
        vjp_case("indexSelect/[4,3]/dim=0/repeated", "indexSelect", [randn(4, 3), torch.tensor([3, 0, 3], dtype=torch.int32)], {"dim": 0}),
        vjp_case("indexSelect/[2,5]/dim=1", "indexSelect", [randn(2, 5), randint(5, 4)], {"dim": 1}),
        vjp_case("flip/[2,3]/[0,1]", "flip", [randn(2, 3)], {"dims": [0, 1]}),
        vjp_case("flip/[2,3,4]/[-1]", "flip", [randn(2, 3, 4)], {"dims": [-1]}),
        vjp_case("roll/[5]/2", "roll", [randn(5)], {"shifts": 2, "dims": 0}),
        vjp_case("roll/[3,4]/[-1,5]/[0,1]", "roll", [randn(3, 4)], {"shifts": [-1, 5], "dims": [0, 1]}),
        vjp_case("roll/[2,3]/flattened/4", "roll", [randn(2, 3)], {"shifts": 4}),
    ]


def statistic_cases():
    return [
        vjp_case("var/[3,4]/all", "var", [randn(3, 4)]),
        vjp_case("var/[3,4]/axis=1/keepDims", "var", [randn(3, 4)], {"axis": 1, "keepDims": True}),
        vjp_case("var/[2,3,4]/axis=[0,2]/correction=0", "var", [randn(2, 3, 4)], {"axis": [0, 2], "correction": 0}),
        vjp_case("std/[5]/all", "std", [randn(5)]),
        vjp_case("std/[3,4]/axis=0/correction=0", "std", [randn(3, 4)], {"axis": 0, "correction": 0}),
        vjp_case("norm/[3,4]/p=2", "norm", [randn(3, 4)]),
        vjp_case("norm/[3,4]/p=2/axis=1", "norm", [randn(3, 4)], {"p": 2, "axis": 1}),
        vjp_case("norm/zero row/p=2/axis=1", "norm", [torch.tensor([[0.0, 0.0], [3.0, 4.0]])], {"p": 2, "axis": 1}),
        vjp_case("norm/[4]/p=1", "norm", [randn(4)], {"p": 1}),
        vjp_case("norm/[2,3]/p=3/axis=1/keepDims", "norm", [randn(2, 3)], {"p": 3, "axis": 1, "keepDims": True}),
        vjp_case("norm/[5]/p=inf", "norm", [randn(5, decimals=3)], {"p": "Infinity"}),
    ]


def structure_cases():
    return [
        vjp_case("tril/[3,4]", "tril", [randn(3, 4)]),
        vjp_case("tril/[2,3,3]/diagonal=-1", "tril", [randn(2, 3, 3)], {"diagonal": -1}),
        vjp_case("triu/[4,3]/diagonal=1", "triu", [randn(4, 3)], {"diagonal": 1}),
        vjp_case("outer/[3]x[4]", "outer", [randn(3), randn(4)]),
        vjp_case("prod/[3,4]/all", "prod", [randn(3, 4, decimals=1)]),
        vjp_case("prod/[3,4]/axis=1/keepDims", "prod", [randn(3, 4)], {"axis": 1, "keepDims": True}),
        vjp_case("prod/zeros/axis=1", "prod", [torch.tensor([[0.0, 2.0, 3.0], [0.0, 0.0, 4.0], [1.5, 2.0, -1.0]])], {"axis": 1}),
        vjp_case("cumsum/[7]/dim=0", "cumsum", [randn(7)], {"dim": 0}),
        vjp_case("cumsum/[3,5]/dim=1", "cumsum", [randn(3, 5)], {"dim": 1}),
        vjp_case("cumsum/[4,2,3]/dim=0", "cumsum", [randn(4, 2, 3)], {"dim": 0}),
        vjp_case("remainder/[2,3]%[2,3]", "remainder", [randn(2, 3) * 5, positive(2, 3)]),
        vjp_case("remainder/[4]%-1.5", "remainder", [randn(4) * 4, -1.5]),
        vjp_case("hypot/[2,3]/[2,3]", "hypot", [randn(2, 3), randn(2, 3)]),
        vjp_case("hypot/[3]/large", "hypot", [torch.tensor([3e20, -4e25, 1e-30]), torch.tensor([4e20, 3e25, -1e-30])]),
        vjp_case("lerp/[2,3]/weight 0.3", "lerp", [randn(2, 3), randn(2, 3), 0.3]),
        vjp_case("lerp/[4]/weight 0.75", "lerp", [randn(4), randn(4), 0.75]),
        vjp_case("lerp/[2,3]/tensor weight", "lerp", [randn(2, 3), randn(2, 3), torch.tensor([0.1, 0.5, 0.9])]),
    ]


def einsum_cases():
    specs = [
        ("ij,jk->ik", [(3, 4), (4, 2)]),
        ("bij,bjk->bik", [(2, 3, 4), (2, 4, 5)]),
        ("i,i->", [(5,), (5,)]),
        ("i,j->ij", [(3,), (2,)]),
        ("ij->ji", [(2, 3)]),
        ("ijk->k", [(2, 3, 4)]),
        ("ij,jk", [(2, 3), (3, 2)]),
        ("ij,jk,kl->il", [(2, 3), (3, 4), (4, 2)]),
        ("bhqd,bhkd->bhqk", [(1, 2, 3, 4), (1, 2, 5, 4)]),
        ("ij,ij->i", [(3, 4), (3, 4)]),
    ]
    return [vjp_case(f"einsum/{eq}", "einsum", [randn(*s) for s in shapes], {"equation": eq}) for eq, shapes in specs]


def sort_cases():
    ties = torch.tensor([[2.0, -1.0, 2.0, 0.5, -1.0], [float("nan"), 3.0, float("-inf"), 3.0, 1.0]])
    return [
        vjp_case("sortValues/[3,6]", "sortValues", [randn(3, 6, decimals=3)]),
        vjp_case("sortValues/[4,3]/dim=0/descending", "sortValues", [randn(4, 3, decimals=3)], {"dim": 0, "descending": True}),
        vjp_case("sortValues/[300]/blocks", "sortValues", [randn(300, decimals=4)]),
        value_case("sortIndices/ties and NaN", "sortIndices", [ties]),
        value_case("sortIndices/ties and NaN/descending", "sortIndices", [ties], {"descending": True}),
        value_case("sortIndices/int32", "sortIndices", [randint(5, 2, 7)]),
        vjp_case("topkValues/[3,8]/k=3", "topkValues", [randn(3, 8, decimals=3)], {"k": 3}),
        vjp_case("topkValues/[5,2]/k=2/dim=0/smallest", "topkValues", [randn(5, 2, decimals=3)], {"k": 2, "dim": 0, "largest": False}),
        value_case("topkIndices/[2,6]/k=4", "topkIndices", [randn(2, 6, decimals=3)], {"k": 4}),
    ]


def value_only_cases():
    x = torch.tensor([[0.0, 1.0, float("nan")], [0.0, 0.0, 0.0]])
    return [
        value_case("any/[2,3]/all", "any", [x]),
        value_case("any/[2,3]/axis=1", "any", [x], {"axis": 1}),
        value_case("all/[2,3]/axis=0/keepDims", "all", [torch.tensor([[1.0, 0.0], [2.0, 3.0]])], {"axis": 0, "keepDims": True}),
        value_case("all/[0]/empty", "all", [torch.zeros(0)]),
        value_case("isnan/[2,3]", "isnan", [x]),
        value_case("oneHot/[4]/classes=3", "oneHot", [torch.tensor([0, 2, 1, 2], dtype=torch.int32)], {"numClasses": 3}),
        value_case("oneHot/[2,2]/classes=4", "oneHot", [randint(4, 2, 2)], {"numClasses": 4}),
        value_case("linspace/0..1/5", "linspace", [], {"start": 0, "end": 1, "steps": 5}),
        value_case("linspace/-3..7.5/11", "linspace", [], {"start": -3, "end": 7.5, "steps": 11}),
        value_case("linspace/2..2/1", "linspace", [], {"start": 2, "end": 2, "steps": 1}),
        value_case("eye/3", "eye", [], {"n": 3}),
        value_case("eye/2x4", "eye", [], {"n": 2, "m": 4}),
    ]


def table_row_cases():
    """Rows added to the elementwise table since (last, so earlier cases keep their random values)."""
    return [
        vjp_case("atan2/[2,3]/[2,3]", "atan2", [randn(2, 3), randn(2, 3)]),
        vjp_case("atan2/[2,3]/[3]", "atan2", [randn(2, 3), randn(3)]),
        vjp_case("atan2/quadrants", "atan2", [torch.tensor([0.0, -0.0, 1.0, -1.0, 2.0, -2.0]), torch.tensor([-1.0, -1.0, 0.0, 0.0, -3.0, 0.5])]),
        vjp_case("fmod/[2,3]%[2,3]", "fmod", [randn(2, 3) * 5, positive(2, 3)]),
        vjp_case("fmod/[4]%-1.5", "fmod", [randn(4) * 4, -1.5]),
        # A dividend far below the divisor: the quotient underflows, the remainder must not.
        vjp_case("remainder/tiny dividends", "remainder", [torch.tensor([-1.1754943508222875e-38, 1e-30, -1e-30, 5.5, -5.5]), torch.tensor([1.0000001, 0.75, 0.75, 2.0, 2.0])]),
        vjp_case("fmod/tiny dividends", "fmod", [torch.tensor([-1.1754943508222875e-38, 1e-30, -1e-30, 5.5, -5.5]), torch.tensor([1.0000001, 0.75, -0.75, 2.0, -2.0])]),
    ]


def cases():
    return view_cases() + statistic_cases() + structure_cases() + value_only_cases() + einsum_cases() + sort_cases() + table_row_cases()


__all__ = ["cases", "fmt"]
