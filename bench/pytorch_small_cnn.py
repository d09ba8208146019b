#!/usr/bin/python3
"""PyTorch baseline for bench/trainer.sh: the small CNN with one extra head, trained on random data.

--network default (what `memoscope train` runs by default): conv 5x5x16 -> batch norm -> ReLU ->
max-pool 2 -> conv 5x5x32 -> batch norm -> ReLU -> max-pool 2 -> dense 128 ReLU -> the class head;
SGD with Nesterov momentum 0.9 at 0.05 on trunk and class head (cross-entropy of the class); a
linear random-label head on the detached dense features with an SGD Nesterov step of its own, as
memoscope's routing does at lambda = 0; after each timed round an evaluation of --eval images
(half as a training subset, half as a test split: class and head predictions counted).
--network plain: no batch norm, Adam 1e-3, one cross-entropy summed over both heads, no
evaluation (io.memoscope.trainer.bench.SmallCnnGraph). Initialisation is PyTorch's own (it does
not change the speed). Float32. Run with Debian's python3 and python3-torch.

Debian's torch does its dense layers' gemm through whatever libblas.so.3 the system provides; the
default, libblas3, is the unoptimised reference BLAS (here 16x slower than OpenBLAS on the dense
layer, about half of PyTorch's step time). bench/trainer.sh points LD_LIBRARY_PATH at an OpenBLAS;
the description line names the BLAS actually loaded.

Standalone it prints samples/s per round and the median. With --serve (how TrainerBenchmark runs
it) it warms up, prints "ready <description>", then times one round per line read from stdin and
answers "rate <samples/s>", so that its rounds alternate with DL4J's under the same load.
"""
import time

STARTED = time.perf_counter()

import argparse
import statistics
import sys

import torch
from torch import nn

SIDE = 28
CLASSES = 10
DISTINCT_BATCHES = 8


class SmallCnn(nn.Module):
    """small-cnn with a class head on the penultimate features and one random-label head per tap in
    `taps`. A head at a spatial tap reads it through a fixed linear map to `width` features, the
    cost of memoscope's equal-capacity readout (adaptive pooling and a projection, one matrix)."""

    def __init__(self, same_padding, batch_norm, taps=("penultimate",), head="linear", width=128, hidden=128):
        super().__init__()
        padding = 2 if same_padding else 0
        side1 = SIDE // 2 if same_padding else (SIDE - 4) // 2
        side = SIDE // 4 if same_padding else ((SIDE - 4) // 2 - 4) // 2

        def block(inputs, channels):
            layers = [nn.Conv2d(inputs, channels, 5, padding=padding)]
            if batch_norm:
                layers.append(nn.BatchNorm2d(channels))
            return layers + [nn.ReLU(), nn.MaxPool2d(2)]

        self.block1 = nn.Sequential(*block(1, 16))
        self.block2 = nn.Sequential(*block(16, 32))
        self.dense = nn.Sequential(nn.Flatten(), nn.Linear(32 * side * side, 128), nn.ReLU())
        self.classes = nn.Linear(128, CLASSES)
        sizes = {"block1": 16 * side1 * side1, "block2": 32 * side * side}
        self.taps = list(taps)
        generator = torch.Generator().manual_seed(7)
        self.readouts = {tap: torch.randn(sizes[tap], width, generator=generator) / sizes[tap] ** 0.5
                         for tap in self.taps if tap != "penultimate"}

        def make_head(inputs):
            if head == "mlp":
                return nn.Sequential(nn.Linear(inputs, hidden), nn.ReLU(), nn.Linear(hidden, CLASSES))
            return nn.Linear(inputs, CLASSES)

        self.heads = nn.ModuleList(make_head(128 if tap == "penultimate" else width) for tap in self.taps)

    def trunk_parameters(self):
        return [p for part in (self.block1, self.block2, self.dense, self.classes) for p in part.parameters()]

    def tap_values(self, images):
        block1 = self.block1(images)
        block2 = self.block2(block1)
        return {"block1": block1, "block2": block2, "penultimate": self.dense(block2)}

    def read(self, tap, values):
        return values if tap == "penultimate" else values.flatten(1) @ self.readouts[tap]

    def forward(self, images):
        taps = self.tap_values(images)
        return self.classes(taps["penultimate"]), [head(self.read(tap, taps[tap]))
                                                  for tap, head in zip(self.taps, self.heads)]


class Trainer:
    def __init__(self, args):
        torch.manual_seed(42)
        self.default = args.network == "default"
        taps = ("block1", "block2", "penultimate") if self.default and args.taps == "all" else ("penultimate",)
        self.model = SmallCnn(args.padding == "same", batch_norm=self.default, taps=taps,
                              head=args.heads if self.default else "linear")
        if self.default:
            self.optimiser = torch.optim.SGD(self.model.trunk_parameters(), lr=0.05, momentum=0.9, nesterov=True)
            self.head_optimiser = torch.optim.SGD(self.model.heads.parameters(), lr=0.05, momentum=0.9,
                                                  nesterov=True)
        else:
            self.optimiser = torch.optim.Adam(self.model.parameters(), lr=1e-3)
        self.loss = nn.CrossEntropyLoss()
        self.batches = [
            (torch.rand(args.batch, 1, SIDE, SIDE),
             torch.randint(CLASSES, (args.batch,)),
             torch.randint(CLASSES, (args.batch,)))
            for _ in range(DISTINCT_BATCHES)]
        self.evaluated = (torch.rand(args.eval, 1, SIDE, SIDE), torch.randint(CLASSES, (args.eval,)),
                          torch.randint(CLASSES, (args.eval,))) if args.eval > 0 else None
        self.batch = args.batch
        self.next = 0

    def parameters(self):
        return sum(p.numel() for p in self.model.parameters())

    def train(self, steps):
        self.model.train()
        for _ in range(steps):
            images, classes, random_labels = self.batches[self.next]
            self.next = (self.next + 1) % len(self.batches)
            if self.default:
                self.default_step(images, classes, random_labels)
            else:
                self.optimiser.zero_grad(set_to_none=True)
                class_logits, head_logits = self.model(images)
                loss = self.loss(class_logits, classes) + sum(self.loss(h, random_labels) for h in head_logits)
                loss.backward()
                self.optimiser.step()

    def default_step(self, images, classes, random_labels):
        """Class loss through trunk and class head; each head's loss on its detached tap, its own step."""
        self.optimiser.zero_grad(set_to_none=True)
        taps = self.model.tap_values(images)
        self.loss(self.model.classes(taps["penultimate"]), classes).backward()
        self.optimiser.step()
        self.head_optimiser.zero_grad(set_to_none=True)
        sum(self.loss(head(self.model.read(tap, taps[tap].detach())), random_labels)
            for tap, head in zip(self.model.taps, self.model.heads)).backward()
        self.head_optimiser.step()

    def evaluate(self):
        """Inference on the evaluation images in chunks of 256, as memoscope's Evaluator does."""
        images, classes, random_labels = self.evaluated
        self.model.eval()
        correct = 0
        with torch.no_grad():
            for start in range(0, len(images), 256):
                class_logits, head_logits = self.model(images[start:start + 256])
                correct += (class_logits.argmax(1) == classes[start:start + 256]).sum().item()
                for logits in head_logits:
                    correct += (logits.argmax(1) == random_labels[start:start + 256]).sum().item()
        self.model.train()
        return correct

    def round(self, steps):
        start = time.perf_counter()
        self.train(steps)
        if self.evaluated is not None:
            self.evaluate()
        return steps * self.batch / (time.perf_counter() - start)


def read_idx(path, count):
    """The first `count` items of a (gzipped) IDX file as a uint8 tensor."""
    import gzip
    import struct
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        magic = struct.unpack(">I", f.read(4))[0]
        dims = [struct.unpack(">I", f.read(4))[0] for _ in range(magic & 0xFF)]
        n = min(count, dims[0])
        item = 1
        for d in dims[1:]:
            item *= d
        data = f.read(n * item)
    return torch.frombuffer(bytearray(data), dtype=torch.uint8).reshape([n] + dims[1:])


def end_to_end(args):
    """A whole run in memory, as `memoscope train` runs its defaults: --epochs epochs over the
    first --images training images of the IDX folder --e2e (shuffled each epoch, batch --batch, the
    last batch partial), after each epoch an evaluation of a 2,000-image training subset and of the
    first --images test images. Prints the wall time from process start, imports included."""
    folder = args.e2e
    train_x = read_idx(f"{folder}/train-images-idx3-ubyte.gz", args.images).float().div(255).unsqueeze(1)
    train_y = read_idx(f"{folder}/train-labels-idx1-ubyte.gz", args.images).long()
    test_x = read_idx(f"{folder}/t10k-images-idx3-ubyte.gz", args.images).float().div(255).unsqueeze(1)
    test_y = read_idx(f"{folder}/t10k-labels-idx1-ubyte.gz", args.images).long()
    generator = torch.Generator().manual_seed(42)
    train_random = torch.randint(CLASSES, (len(train_x),), generator=generator)
    test_random = torch.randint(CLASSES, (len(test_x),), generator=generator)
    args.eval = 0
    trainer = Trainer(args)
    subset = min(2000, len(train_x))
    for _ in range(args.epochs):
        order = torch.randperm(len(train_x), generator=generator)
        trainer.model.train()
        for start in range(0, len(order), args.batch):
            pick = order[start:start + args.batch]
            trainer.default_step(train_x[pick], train_y[pick], train_random[pick])
        trainer.evaluated = (train_x[:subset], train_y[:subset], train_random[:subset])
        trainer.evaluate()
        trainer.evaluated = (test_x, test_y, test_random)
        trainer.evaluate()
    seconds = time.perf_counter() - STARTED
    print(f"pytorch end to end: {args.epochs} epochs of {len(train_x):,} images, {torch.get_num_threads()} thread(s),"
          f" {seconds:.2f} s")


def loaded_blas():
    """The file libblas.so.3 resolved to in this process, after a gemm has run."""
    torch.mm(torch.ones(2, 2), torch.ones(2, 2))
    with open("/proc/self/maps") as maps:
        paths = {line.split()[-1] for line in maps if "libblas" in line or "openblas" in line}
    openblas = sorted(path for path in paths if "openblas" in path)
    if openblas:
        return "OpenBLAS " + openblas[0]
    return "reference BLAS " + (sorted(paths)[0] if paths else "(none)")


def heads_description(args):
    if args.network != "default":
        return ""
    return f", {args.heads} heads at {'every tap' if args.taps == 'all' else 'the penultimate tap'}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--batch", type=int, default=128)
    parser.add_argument("--steps", type=int, default=60, help="steps per timed round")
    parser.add_argument("--warmup", type=int, default=30, help="untimed steps first")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--padding", choices=("same", "valid"), default="same")
    parser.add_argument("--network", choices=("default", "plain"), default="default")
    parser.add_argument("--eval", type=int, default=4000, help="images evaluated after each timed round")
    parser.add_argument("--taps", choices=("penultimate", "all"), default="penultimate",
                        help="default network: random-label heads at the penultimate tap or at every tap")
    parser.add_argument("--heads", choices=("linear", "mlp"), default="linear",
                        help="default network: linear heads or MLPs with one hidden layer of 128")
    parser.add_argument("--serve", action="store_true")
    parser.add_argument("--profile", type=int, metavar="STEPS",
                        help="after the warm-up, time STEPS training steps per operator (torch.profiler)")
    parser.add_argument("--e2e", metavar="IDX_DIR", help="a whole run on the IDX data set in this folder")
    parser.add_argument("--images", type=int, default=8192, help="with --e2e: training (and test) images")
    parser.add_argument("--epochs", type=int, default=5, help="with --e2e: epochs")
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    if args.e2e:
        end_to_end(args)
        return
    trainer = Trainer(args)
    trainer.train(args.warmup)
    description = (f"PyTorch {torch.__version__}, {torch.get_num_threads()} thread(s), "
                   f"{trainer.parameters():,} parameters, {args.network} network"
                   f"{heads_description(args)}, padding {args.padding}, "
                   f"batch {args.batch}, {args.eval} images evaluated per round, {loaded_blas()}")
    if args.profile:
        from torch.profiler import profile, ProfilerActivity
        with profile(activities=[ProfilerActivity.CPU]) as prof:
            trainer.train(args.profile)
        print(f"{description}; {args.profile} steps profiled")
        print(prof.key_averages().table(sort_by="self_cpu_time_total", row_limit=15))
        return
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
