#!/usr/bin/python3
"""PyTorch baseline for bench/trainer.sh: the small CNN with one extra head, trained on random data.

The network, batch, optimiser and thread count match io.memoscope.trainer.bench.SmallCnnGraph:
conv 5x5x16 -> ReLU -> max-pool 2 -> conv 5x5x32 -> ReLU -> max-pool 2 -> dense 128 ReLU -> two
10-way heads (class, random label) on the dense features, float32, Adam 1e-3, cross-entropy summed
over both heads. Run with Debian's python3 and python3-torch (apt-get install python3-torch).

Debian's torch does its dense layers' gemm through whatever libblas.so.3 the system provides; the
default, libblas3, is the unoptimised reference BLAS (here 16x slower than OpenBLAS on the dense
layer, about half of PyTorch's step time). bench/trainer.sh points LD_LIBRARY_PATH at an OpenBLAS;
the description line names the BLAS actually loaded.

Standalone it prints samples/s per round and the median. With --serve (how TrainerBenchmark runs
it) it warms up, prints "ready <description>", then times one round per line read from stdin and
answers "rate <samples/s>", so that its rounds alternate with DL4J's under the same load.
"""
import argparse
import statistics
import sys
import time

import torch
from torch import nn

SIDE = 28
CLASSES = 10
DISTINCT_BATCHES = 8


class SmallCnn(nn.Module):
    def __init__(self, same_padding):
        super().__init__()
        padding = 2 if same_padding else 0
        side = SIDE // 4 if same_padding else ((SIDE - 4) // 2 - 4) // 2
        self.trunk = nn.Sequential(
            nn.Conv2d(1, 16, 5, padding=padding), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(16, 32, 5, padding=padding), nn.ReLU(), nn.MaxPool2d(2),
            nn.Flatten(), nn.Linear(32 * side * side, 128), nn.ReLU())
        self.classes = nn.Linear(128, CLASSES)
        self.head = nn.Linear(128, CLASSES)

    def forward(self, images):
        features = self.trunk(images)
        return self.classes(features), self.head(features)


class Trainer:
    def __init__(self, args):
        torch.manual_seed(42)
        self.model = SmallCnn(args.padding == "same")
        self.optimiser = torch.optim.Adam(self.model.parameters(), lr=1e-3)
        self.loss = nn.CrossEntropyLoss()
        self.batches = [
            (torch.rand(args.batch, 1, SIDE, SIDE),
             torch.randint(CLASSES, (args.batch,)),
             torch.randint(CLASSES, (args.batch,)))
            for _ in range(DISTINCT_BATCHES)]
        self.batch = args.batch
        self.next = 0

    def parameters(self):
        return sum(p.numel() for p in self.model.parameters())

    def train(self, steps):
        self.model.train()
        for _ in range(steps):
            images, classes, random_labels = self.batches[self.next]
            self.next = (self.next + 1) % len(self.batches)
            self.optimiser.zero_grad(set_to_none=True)
            class_logits, head_logits = self.model(images)
            loss = self.loss(class_logits, classes) + self.loss(head_logits, random_labels)
            loss.backward()
            self.optimiser.step()

    def round(self, steps):
        start = time.perf_counter()
        self.train(steps)
        return steps * self.batch / (time.perf_counter() - start)


def loaded_blas():
    """The file libblas.so.3 resolved to in this process, after a gemm has run."""
    torch.mm(torch.ones(2, 2), torch.ones(2, 2))
    with open("/proc/self/maps") as maps:
        paths = {line.split()[-1] for line in maps if "libblas" in line or "openblas" in line}
    openblas = sorted(path for path in paths if "openblas" in path)
    if openblas:
        return "OpenBLAS " + openblas[0]
    return "reference BLAS " + (sorted(paths)[0] if paths else "(none)")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--batch", type=int, default=128)
    parser.add_argument("--steps", type=int, default=60, help="steps per timed round")
    parser.add_argument("--warmup", type=int, default=30, help="untimed steps first")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--padding", choices=("same", "valid"), default="same")
    parser.add_argument("--serve", action="store_true")
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    trainer = Trainer(args)
    trainer.train(args.warmup)
    description = (f"PyTorch {torch.__version__}, {torch.get_num_threads()} thread(s), "
                   f"{trainer.parameters():,} parameters, padding {args.padding}, batch {args.batch}, "
                   f"{loaded_blas()}")
    if args.serve:
        print("ready " + description, flush=True)
        for _ in sys.stdin:
            print(f"rate {trainer.round(args.steps):.1f}", flush=True)
        return
    print(description)
    rates = []
    for number in range(1, args.rounds + 1):
        rates.append(trainer.round(args.steps))
        print(f"round {number}: {rates[-1]:,.0f} samples/s")
    print(f"pytorch samples/s (median of {len(rates)}): {statistics.median(rates):,.0f}")


if __name__ == "__main__":
    main()
