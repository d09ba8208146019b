#!/usr/bin/env python3
"""Where the training thread's time goes, from a JFR recording of `memoscope train`.

Reads `jfr print --stack-depth 128 --events
jdk.ExecutionSample,jdk.NativeMethodSample,jdk.GarbageCollection FILE` output and sorts each sample of the thread "main" into the first category whose frame pattern
appears in its stack (innermost memoscope or DL4J frame decides; see CATEGORIES). Prints the
share of each, and the sample count, whose square root says how precise a share is (±2 points
at a few hundred samples).

Usage: bench/jfr_breakdown.py PRINTED_JFR_TEXT
"""
import collections
import re
import sys

# (category, frame substrings): the first category with a matching frame anywhere in the stack wins,
# so the more specific ones come first.
CATEGORIES = [
    ("evaluation (inference on the subset and the test split)", ["metrics.Evaluator.evaluate"]),
    ("probe", ["probe.ProbeRun"]),
    ("checkpoints (snapshot and write)", ["onCheckpointDue", "CheckpointStore"]),
    ("step: first convolution, backward (InputConvolution)", ["InputConvolution.backpropGradient"]),
    ("step: convolutions, backward (oneDNN)", ["MKLDNNConvHelper.backpropGradient"]),
    ("step: convolutions, forward (oneDNN)", ["MKLDNNConvHelper.preOutput", "ConvolutionLayer.preOutput"]),
    ("step: batch norm, forward", ["ChannelBatchNorm.preOutput", "MKLDNNBatchNormHelper.preOutput",
                                   "BatchNormalization.preOutput"]),
    ("step: batch norm, backward", ["ChannelBatchNorm.backpropGradient", "MKLDNNBatchNormHelper.backpropGradient",
                                    "BatchNormalization.backpropGradient"]),
    ("step: max-pooling, forward and backward", ["Subsampling"]),
    ("step: ReLU, forward and backward", ["net.Relu.", "ActivationLayer", "ActivationReLU"]),
    ("step: random-label heads (own step on detached features)", ["RandomLabelHead"]),
    ("step: dense layer, class head, losses", ["DenseLayer", "BaseLayer", "BaseOutputLayer", "LossLayer",
                                               "ClassLoss", "TapLoss", "ComplementLoss"]),
    ("step: optimiser update", ["Updater", "updater."]),
    ("step: the rest of the graph's pass (vertices, copies, workspaces)", ["MultiHeadModel.step"]),
    ("per-step metrics and events", ["RunningMetrics", "UpdateRatios", "EventPublisher", "onStep"]),
    ("waiting for or assembling batches", ["KafkaBatchSource", "BatchAssembler", "BatchSource"]),
    ("start-up: ND4J and native libraries", ["Nd4jRuntime", "Nd4jBackend", "NativeOpsHolder", "Loader.load"]),
    ("start-up: model build", ["MultiHeadModel.create"]),
    ("start-up: run set-up (data set, topics, manifest, test split)", ["StreamingRun", "TrainCommand", "picocli"]),
]
GC_THREADS = ("GC Thread", "G1 ", "VM Thread")


def main(path):
    text = open(path, encoding="utf-8").read()
    counts = collections.Counter()
    threads = collections.Counter()
    total = 0
    for event in re.split(r"\njdk\.(?:ExecutionSample|NativeMethodSample) \{", text):
        thread = re.search(r'sampledThread = "([^"]+)"', event)
        if not thread:
            continue
        threads[thread.group(1)] += 1
        if thread.group(1) != "main":
            continue
        frames = re.findall(r"^\s+([\w.$<>]+)\(", event.split("stackTrace = [", 1)[-1], re.M)
        if not frames:
            continue
        total += 1
        category = "other (JVM start, class loading, logging, ...)"
        for name, patterns in CATEGORIES:
            if any(p in frame for frame in frames for p in patterns):
                category = name
                break
        counts[category] += 1
    pauses = [float(m) for m in re.findall(r"sumOfPauses = ([\d.]+) ms", text)]
    if total == 0:
        sys.exit(f"{path}: no samples of the main thread")
    print(f"| where | share of the training thread ({total} samples) |")
    print("| --- | --- |")
    for name, count in counts.most_common():
        print(f"| {name} | {100 * count / total:.1f} % |")
    print()
    if pauses:
        print(f"garbage collections: {len(pauses)}, pauses {sum(pauses):.0f} ms in all")
    print("samples per thread (native samples include threads blocked in a system call):")
    for name, count in threads.most_common(6):
        print(f"  {count:6d}  {name}")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
