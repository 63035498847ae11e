"""The layers' functional forms: convolution, unfold, pooling, normalization, embedding, unflatten.

Appended after every other ops.json case (with its own seed), so earlier cases keep their numbers.
"""
import torch

from cases import positive, randint, randn, reseed, value_case, vjp_case


def conv_cases():
    return [
        vjp_case("conv2d/[2,3,7,6]*[4,3,3,3]/bias", "conv2d", [randn(2, 3, 7, 6), randn(4, 3, 3, 3), randn(4)]),
        vjp_case("conv2d/no bias/stride 2/padding 1", "conv2d", [randn(2, 2, 7, 7), randn(3, 2, 3, 3)], {"stride": 2, "padding": 1}),
        vjp_case("conv2d/stride [2,1]/padding [0,2]/dilation [1,2]", "conv2d", [randn(1, 2, 8, 7), randn(2, 2, 3, 2), randn(2)], {"stride": [2, 1], "padding": [0, 2], "dilation": [1, 2]}),
        vjp_case("conv2d/groups 2", "conv2d", [randn(2, 4, 5, 5), randn(6, 2, 3, 3), randn(6)], {"groups": 2}),
        vjp_case("conv2d/depthwise/groups 3", "conv2d", [randn(1, 3, 6, 6), randn(3, 1, 3, 3)], {"groups": 3, "padding": 1}),
        vjp_case("conv2d/padding same/4x4 kernel", "conv2d", [randn(1, 2, 6, 5), randn(3, 2, 4, 4), randn(3)], {"padding": "same"}),
        vjp_case("conv2d/padding same/dilation 2", "conv2d", [randn(1, 1, 7, 7), randn(2, 1, 3, 3)], {"padding": "same", "dilation": 2}),
        vjp_case("conv2d/padding valid/1x1", "conv2d", [randn(2, 3, 4, 4), randn(5, 3, 1, 1), randn(5)], {"padding": "valid"}),
        vjp_case("conv2d/unbatched", "conv2d", [randn(2, 5, 5), randn(3, 2, 2, 2), randn(3)]),
        vjp_case("conv2d/lenet layer/[3,1,12,12]*[6,1,5,5]", "conv2d", [randn(3, 1, 12, 12), randn(6, 1, 5, 5), randn(6)]),
        vjp_case("conv1d/[2,3,9]*[4,3,3]/bias", "conv1d", [randn(2, 3, 9), randn(4, 3, 3), randn(4)]),
        vjp_case("conv1d/stride 2/padding 2/dilation 2/groups 3", "conv1d", [randn(1, 3, 10), randn(6, 1, 3)], {"stride": 2, "padding": 2, "dilation": 2, "groups": 3}),
        vjp_case("conv1d/unbatched/same", "conv1d", [randn(2, 7), randn(3, 2, 4), randn(3)], {"padding": "same"}),
        vjp_case("unfold/[2,3,5,4]/k=[2,3]", "unfold", [randn(2, 3, 5, 4)], {"kernelSize": [2, 3]}),
        vjp_case("unfold/stride 2/padding 1/dilation 2", "unfold", [randn(1, 2, 6, 6)], {"kernelSize": 3, "stride": 2, "padding": 1, "dilation": 2}),
    ]


def pool_cases():
    return [
        vjp_case("maxPool2d/[2,3,6,6]/k=2", "maxPool2d", [randn(2, 3, 6, 6, decimals=3)], {"kernelSize": 2}),
        vjp_case("maxPool2d/k=3/stride 2/padding 1", "maxPool2d", [randn(1, 2, 7, 7, decimals=3)], {"kernelSize": 3, "stride": 2, "padding": 1}),
        vjp_case("maxPool2d/k=[2,3]/ceilMode", "maxPool2d", [randn(1, 2, 5, 7, decimals=3)], {"kernelSize": [2, 3], "ceilMode": True}),
        vjp_case("maxPool2d/k=2/dilation 2/stride 1", "maxPool2d", [randn(1, 1, 6, 6, decimals=3)], {"kernelSize": 2, "dilation": 2, "stride": 1}),
        vjp_case("maxPool2d/ties go to the first", "maxPool2d", [torch.tensor([[[[1.0, 1.0, 0.0, 2.0], [1.0, 0.5, 2.0, 2.0]]]])], {"kernelSize": 2}),
        vjp_case("maxPool2d/unbatched/k=2", "maxPool2d", [randn(2, 4, 4, decimals=3)], {"kernelSize": 2}),
        vjp_case("avgPool2d/[2,3,6,6]/k=2", "avgPool2d", [randn(2, 3, 6, 6)], {"kernelSize": 2}),
        vjp_case("avgPool2d/k=3/stride 2/padding 1", "avgPool2d", [randn(1, 2, 7, 7)], {"kernelSize": 3, "stride": 2, "padding": 1}),
        vjp_case("avgPool2d/padding 1/countIncludePad false", "avgPool2d", [randn(1, 2, 5, 5)], {"kernelSize": 3, "stride": 2, "padding": 1, "countIncludePad": False}),
        vjp_case("avgPool2d/k=2/ceilMode", "avgPool2d", [randn(1, 1, 5, 5)], {"kernelSize": 2, "ceilMode": True}),
        vjp_case("avgPool2d/k=3/stride 2/padding 1/ceilMode/countIncludePad false", "avgPool2d", [randn(1, 1, 6, 6)], {"kernelSize": 3, "stride": 2, "padding": 1, "ceilMode": True, "countIncludePad": False}),
        vjp_case("avgPool2d/divisorOverride 3", "avgPool2d", [randn(1, 2, 4, 4)], {"kernelSize": 2, "divisorOverride": 3}),
        vjp_case("adaptiveAvgPool2d/[2,3,7,5]->[3,2]", "adaptiveAvgPool2d", [randn(2, 3, 7, 5)], {"outputSize": [3, 2]}),
        vjp_case("adaptiveAvgPool2d/->1", "adaptiveAvgPool2d", [randn(2, 4, 3, 3)], {"outputSize": 1}),
        vjp_case("adaptiveAvgPool2d/[1,2,4,6]->[None,4]", "adaptiveAvgPool2d", [randn(1, 2, 4, 6)], {"outputSize": [None, 4]}),
    ]


def norm_cases():
    return [
        vjp_case("layerNorm/[3,5]/[5]/affine", "layerNorm", [randn(3, 5), randn(5), randn(5)], {"normalizedShape": [5]}),
        vjp_case("layerNorm/[2,3,4]/[3,4]", "layerNorm", [randn(2, 3, 4)], {"normalizedShape": [3, 4]}),
        vjp_case("layerNorm/[4,6]/eps 0.1", "layerNorm", [randn(4, 6), randn(6), randn(6)], {"normalizedShape": [6], "eps": 0.1}),
        vjp_case("groupNorm/[2,6,3,3]/3 groups/affine", "groupNorm", [randn(2, 6, 3, 3), randn(6), randn(6)], {"numGroups": 3}),
        vjp_case("groupNorm/[2,4,5]/1 group", "groupNorm", [randn(2, 4, 5)], {"numGroups": 1}),
        vjp_case("groupNorm/[1,4,2,2]/4 groups", "groupNorm", [randn(1, 4, 2, 2), randn(4), randn(4)], {"numGroups": 4}),
        vjp_case("batchNorm/training/[4,3,2,2]/affine", "batchNorm", [randn(4, 3, 2, 2), randn(3), randn(3)], {"training": True}),
        vjp_case("batchNorm/training/[5,4]/no running stats", "batchNorm", [randn(5, 4)], {"training": True}),
        vjp_case("batchNorm/eval/[3,2,4]/running stats", "batchNorm", [randn(3, 2, 4), randn(2), randn(2)], {"runningMean": [0.5, -1.0], "runningVar": [2.0, 0.25], "eps": 0.001}),
        value_case("batchNormRunningStats/[4,3,2]/momentum 0.3", "batchNormRunningStats", [randn(4, 3, 2)], {"runningMean": [0.0, 1.0, -1.0], "runningVar": [1.0, 2.0, 0.5], "momentum": 0.3}),
    ]


def misc_cases():
    return [
        vjp_case("embedding/[2,3] of [5,4]", "embedding", [torch.tensor([[0, 2, 4], [2, 2, 1]], dtype=torch.int32), randn(5, 4)]),
        vjp_case("embedding/paddingIdx 2", "embedding", [torch.tensor([[0, 2, 4], [2, 3, 1]], dtype=torch.int32), randn(5, 3)], {"paddingIdx": 2}),
        vjp_case("embedding/paddingIdx -1", "embedding", [torch.tensor([4, 0, 4], dtype=torch.int32), randn(5, 2)], {"paddingIdx": -1}),
        vjp_case("unflatten/[2,12]/dim 1/[3,-1]", "unflatten", [randn(2, 12)], {"dim": 1, "sizes": [3, -1]}),
        vjp_case("unflatten/[6,2]/dim 0/[2,3]", "unflatten", [randn(6, 2)], {"dim": 0, "sizes": [2, 3]}),
    ]


def transposed_cases():
    return [
        vjp_case("convTranspose2d/[2,3,4,4]*[3,2,3,3]/bias", "convTranspose2d", [randn(2, 3, 4, 4), randn(3, 2, 3, 3), randn(2)]),
        vjp_case("convTranspose2d/stride 2/padding 1/outputPadding 1", "convTranspose2d", [randn(1, 2, 3, 3), randn(2, 3, 3, 3), randn(3)], {"stride": 2, "padding": 1, "outputPadding": 1}),
        vjp_case("convTranspose2d/stride [2,1]/dilation [1,2]/groups 2", "convTranspose2d", [randn(1, 4, 3, 4), randn(4, 1, 2, 3)], {"stride": [2, 1], "dilation": [1, 2], "groups": 2}),
        vjp_case("convTranspose2d/unbatched/k=4/stride 2/padding 1", "convTranspose2d", [randn(2, 3, 3), randn(2, 1, 4, 4), randn(1)], {"stride": 2, "padding": 1}),
        vjp_case("fold/[2,12,6]->[3,4]/k=2", "fold", [randn(2, 12, 6)], {"outputSize": [3, 4], "kernelSize": 2}),
        vjp_case("fold/stride 2/padding 1/dilation 2", "fold", [randn(1, 18, 4)], {"outputSize": [5, 5], "kernelSize": 3, "stride": 2, "padding": 1, "dilation": 2}),
    ]


def interpolate_cases():
    return [
        vjp_case("interpolate/nearest/[1,2,3,4]->[5,7]", "interpolate", [randn(1, 2, 3, 4)], {"size": [5, 7]}),
        vjp_case("interpolate/nearest/scaleFactor 2", "interpolate", [randn(2, 1, 3, 3)], {"scaleFactor": 2}),
        vjp_case("interpolate/nearest/downscale [6,5]->[4,2]", "interpolate", [randn(1, 1, 6, 5)], {"size": [4, 2]}),
        vjp_case("interpolate/nearest/scaleFactor 1.7", "interpolate", [randn(1, 2, 4, 3)], {"scaleFactor": 1.7}),
        vjp_case("interpolate/bilinear/[1,2,3,4]->[5,7]", "interpolate", [randn(1, 2, 3, 4)], {"size": [5, 7], "mode": "bilinear"}),
        vjp_case("interpolate/bilinear/alignCorners", "interpolate", [randn(1, 1, 4, 3)], {"size": [7, 5], "mode": "bilinear", "alignCorners": True}),
        vjp_case("interpolate/bilinear/scaleFactor [1.5,0.5]", "interpolate", [randn(2, 1, 4, 6)], {"scaleFactor": [1.5, 0.5], "mode": "bilinear"}),
        vjp_case("interpolate/bilinear/downscale", "interpolate", [randn(1, 2, 7, 5)], {"size": [3, 2], "mode": "bilinear"}),
    ]


def output_padding_cases():
    # outputPadding past the stride (PyTorch allows it up to the dilation): the transposed conv's
    # plane then has more conv positions than its input, and the gradient takes the first ones.
    return [
        vjp_case("convTranspose2d/dilation 2/outputPadding 1", "convTranspose2d", [randn(1, 2, 4, 4), randn(2, 3, 3, 3), randn(3)], {"dilation": 2, "outputPadding": 1}),
        vjp_case("convTranspose2d/stride 2/dilation 3/outputPadding 2", "convTranspose2d", [randn(2, 2, 3, 2), randn(2, 2, 2, 3)], {"stride": 2, "dilation": 3, "outputPadding": 2, "padding": 1}),
    ]


def cases():
    reseed(17)
    # New cases go last, so that every earlier case keeps its random values.
    return conv_cases() + pool_cases() + norm_cases() + misc_cases() + transposed_cases() + interpolate_cases() + output_padding_cases()
