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
    def __init__(self, same_padding, batch_norm):
        super().__init__()
        padding = 2 if same_padding else 0
        side = SIDE // 4 if same_padding else ((SIDE - 4) // 2 - 4) // 2

        def block(inputs, channels):
            layers = [nn.Conv2d(inputs, channels, 5, padding=padding)]
            if batch_norm:
                layers.append(nn.BatchNorm2d(channels))
            return layers + [nn.ReLU(), nn.MaxPool2d(2)]

        self.trunk = nn.Sequential(*block(1, 16), *block(16, 32),
                                   nn.Flatten(), nn.Linear(32 * side * side, 128), nn.ReLU())
        self.classes = nn.Linear(128, CLASSES)
        self.head = nn.Linear(128, CLASSES)

    def forward(self, images):
        features = self.trunk(images)
        return self.classes(features), self.head(features)


class Trainer:
    def __init__(self, args):
        torch.manual_seed(42)
        self.default = args.network == "default"
        self.model = SmallCnn(args.padding == "same", batch_norm=self.default)
        if self.default:
            trunk = list(self.model.trunk.parameters()) + list(self.model.classes.parameters())
            self.optimiser = torch.optim.SGD(trunk, lr=0.05, momentum=0.9, nesterov=True)
            self.head_optimiser = torch.optim.SGD(self.model.head.parameters(), lr=0.05, momentum=0.9,
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
                loss = self.loss(class_logits, classes) + self.loss(head_logits, random_labels)
                loss.backward()
                self.optimiser.step()

    def default_step(self, images, classes, random_labels):
        """Class loss through trunk and class head; the head's loss on detached features, its own step."""
        self.optimiser.zero_grad(set_to_none=True)
        features = self.model.trunk(images)
        self.loss(self.model.classes(features), classes).backward()
        self.optimiser.step()
        self.head_optimiser.zero_grad(set_to_none=True)
        self.loss(self.model.head(features.detach()), random_labels).backward()
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
                correct += (head_logits.argmax(1) == random_labels[start:start + 256]).sum().item()
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
    parser.add_argument("--serve", action="store_true")
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
                   f"{trainer.parameters():,} parameters, {args.network} network, padding {args.padding}, "
                   f"batch {args.batch}, {args.eval} images evaluated per round, {loaded_blas()}")
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
