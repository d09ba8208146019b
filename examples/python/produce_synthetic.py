#!/usr/bin/python3
"""A third-party producer for memoscope: writes a small synthetic data set into Kafka.

Written from docs/schema.md and the schemas in protocol/src/main/avro/ only. It produces the
train and test splits (ImageSample, key = sample index) and then the data set's DatasetInfo,
with Debian's python3-confluent-kafka and python3-avro. It does not create topics: run
`memoscope ingest --create-topics-only --dataset NAME` first, so they are made exactly as
memoscope makes them. See README.md next to this file.
"""

import argparse
import datetime
import hashlib
import io
import json
import pathlib
import random
import re
import struct
import sys

try:
    import avro.io
    import avro.schema
    from confluent_kafka import Consumer, Producer, TopicPartition
except ImportError as e:
    sys.exit(f"produce_synthetic.py: {e.name} is missing: install Debian's python3-confluent-kafka and "
             "python3-avro (apt-get install python3-confluent-kafka python3-avro) and run with /usr/bin/python3")

SCHEMAS = pathlib.Path(__file__).resolve().parents[2] / "protocol" / "src" / "main" / "avro"
DATASETS_TOPIC = "memoscope.datasets"
DATASET_NAME = re.compile(r"[a-z0-9][a-z0-9_-]{0,63}")
SPLITS = ("train", "test")

# docs/schema.md, section 3: the headers of the version 1 schemas. The self-test recomputes them
# from the .avsc files, so an edited schema cannot silently write under the old fingerprint.
DOCUMENTED_HEADERS = {
    "ImageSample": bytes.fromhex("C3015F1EE3D90C63A50D"),
    "DatasetInfo": bytes.fromhex("C3014AE95EF6A6E98743"),
}


# --- Random labels (docs/schema.md, section 6) ---------------------------------------------

def random_label(seed, dataset, split, index, k, n):
    """The k-th fixed random label of a sample, in [0, n)."""
    key = f"{seed}:{dataset}:{split}:{index}:{k}".encode("utf-8")
    # Python ints are unbounded, so the 64-bit value stays unsigned as the contract requires.
    return int.from_bytes(hashlib.sha256(key).digest()[:8], "big") % n


# --- Single-object encoding (docs/schema.md, section 3) ------------------------------------

CRC64_EMPTY = 0xC15D213AA4D7A795
CRC64_TABLE = []
for _byte in range(256):
    _fp = _byte
    for _ in range(8):
        _fp = (_fp >> 1) ^ (CRC64_EMPTY & -(_fp & 1))
    CRC64_TABLE.append(_fp)


def crc64_avro(text):
    fp = CRC64_EMPTY
    for b in text.encode("utf-8"):
        fp = (fp >> 8) ^ CRC64_TABLE[(fp ^ b) & 0xFF]
    return fp.to_bytes(8, "little")


PRIMITIVES = {"null", "boolean", "int", "long", "float", "double", "bytes", "string"}


def canonical_form(schema, namespace=""):
    """The Avro Parsing Canonical Form of a schema given as parsed JSON.

    Our own, because python3-avro 1.11's Schema.canonical_form keeps a logical-type long as
    {"type":"long"} where the specification says "long", which gives DatasetInfo (createdAt is a
    timestamp-millis) a fingerprint no memoscope reader knows.
    """
    if isinstance(schema, str):
        if schema in PRIMITIVES or "." in schema or not namespace:
            return json.dumps(schema)
        return json.dumps(f"{namespace}.{schema}")
    if isinstance(schema, list):
        return "[" + ",".join(canonical_form(branch, namespace) for branch in schema) + "]"
    kind = schema["type"]
    if kind in PRIMITIVES:
        return json.dumps(kind)  # drops logicalType and every other attribute
    parts = []
    if kind in ("record", "enum", "fixed"):
        name = schema["name"]
        if "." not in name:
            space = schema.get("namespace", namespace)
            name = f"{space}.{name}" if space else name
        namespace = name.rpartition(".")[0]
        parts.append('"name":' + json.dumps(name))
    parts.append('"type":' + json.dumps(kind))
    if kind == "record":
        fields = ",".join('{"name":%s,"type":%s}' % (json.dumps(field["name"]), canonical_form(field["type"], namespace))
                          for field in schema["fields"])
        parts.append(f'"fields":[{fields}]')
    elif kind == "enum":
        parts.append('"symbols":' + json.dumps(schema["symbols"], separators=(",", ":")))
    elif kind == "array":
        parts.append('"items":' + canonical_form(schema["items"], namespace))
    elif kind == "map":
        parts.append('"values":' + canonical_form(schema["values"], namespace))
    elif kind == "fixed":
        parts.append(f'"size":{schema["size"]}')
    return "{" + ",".join(parts) + "}"


class Codec:
    """Encodes one record type: the 10-byte header, then the plain Avro binary body."""

    def __init__(self, record):
        text = (SCHEMAS / f"{record}.avsc").read_text(encoding="utf-8")
        self.header = b"\xC3\x01" + crc64_avro(canonical_form(json.loads(text)))
        self.writer = avro.io.DatumWriter(avro.schema.parse(text))

    def encode(self, datum):
        out = io.BytesIO()
        out.write(self.header)
        self.writer.write(datum, avro.io.BinaryEncoder(out))
        return out.getvalue()


# --- Self-test: the examples and test vectors of docs/schema.md ----------------------------

LABEL_VECTORS = [  # key fields, first 8 bytes of SHA-256, label for n = 10, for n = 1000
    ((42, "fashion-mnist", "train", 0, 0), "bad5785bda5a3f5b", 7, 427),
    ((42, "fashion-mnist", "train", 0, 1), "85a753eb120b4637", 7, 767),
    ((42, "fashion-mnist", "train", 1, 0), "83d14d90a4083294", 6, 756),
    ((42, "fashion-mnist", "test", 0, 0), "27b8265dfa3b998c", 6, 156),
    ((0, "cifar10", "train", 49999, 0), "41e0a4bb8aa7b940", 4, 144),
    ((-7, "synthetic", "train", 123456789, 2), "9f737e29ecb7dde6", 6, 46),
    ((-9223372036854775808, "demo", "test", 9007199254740993, 0), "d8ebb0478cf7f627", 5, 575),
]

GOLDEN_IMAGE_SAMPLE = "C3015F1EE3D90C63A50D0864656D6F0006040402080001FEFF0204040A0000140E"


def self_test(codecs):
    """Checks this producer against docs/schema.md; returns the failures, one line each."""
    failures = []
    for (seed, dataset, split, index, k), prefix, n10, n1000 in LABEL_VECTORS:
        key = f"{seed}:{dataset}:{split}:{index}:{k}"
        got_prefix = hashlib.sha256(key.encode("utf-8")).digest()[:8].hex()
        got = (random_label(seed, dataset, split, index, k, 10), random_label(seed, dataset, split, index, k, 1000))
        if got_prefix != prefix or got != (n10, n1000):
            failures.append(f"random label of {key}: {got_prefix} {got}, documented {prefix} {(n10, n1000)}")
    for record, header in DOCUMENTED_HEADERS.items():
        if codecs[record].header != header:
            failures.append(f"{record} header {codecs[record].header.hex()}, documented {header.hex()}")
    golden = codecs["ImageSample"].encode({
        "dataset": "demo", "split": "train", "index": 3, "height": 2, "width": 2, "channels": 1,
        "pixels": bytes([0x00, 0x01, 0xFE, 0xFF]), "label": 1, "numClasses": 2,
        "randomLabels": [5, 0], "randomClasses": 10, "labelSeed": 7,
    })
    if golden.hex().upper() != GOLDEN_IMAGE_SAMPLE:
        failures.append(f"worked example encodes as {golden.hex().upper()}, documented {GOLDEN_IMAGE_SAMPLE}")
    return failures


# --- The synthetic data set ----------------------------------------------------------------

def image(rng, label, classes, height, width):
    """Grey noise with a bright horizontal band whose row depends on the class: easy to learn."""
    band = (label * height) // classes
    band_rows = range(band, band + max(1, height // classes))
    return bytes(rng.randrange(160, 256) if y in band_rows else rng.randrange(0, 96)
                 for y in range(height) for x in range(width))


def samples(args, split, count):
    rng = random.Random(f"{args.seed}:{split}")  # same images on every run
    for index in range(count):
        label = index % args.classes
        yield index, {
            "dataset": args.dataset, "split": split, "index": index,
            "height": args.height, "width": args.width, "channels": 1,
            "pixels": image(rng, label, args.classes, args.height, args.width),
            "label": label, "numClasses": args.classes,
            "randomLabels": [random_label(args.seed, args.dataset, split, index, k, args.random_classes)
                             for k in range(args.labelings)],
            "randomClasses": args.random_classes, "labelSeed": args.seed,
        }


def dataset_info(args, created_at):
    return {
        "name": args.dataset,
        "classNames": [f"band-{c}" for c in range(args.classes)],
        "height": args.height, "width": args.width, "channels": 1,
        "trainCount": args.train, "testCount": args.test,
        "randomClasses": args.random_classes, "labelSeed": args.seed, "labelings": args.labelings,
        # python3-avro writes a timestamp-millis long only from a timezone-aware datetime.
        "createdAt": created_at,
    }


# --- Kafka -----------------------------------------------------------------------------------

class Failed(Exception):
    pass


def producer_config(bootstrap):
    return {
        "bootstrap.servers": bootstrap,
        # Reliable: every in-sync replica has a record before it counts as written, and retries
        # neither duplicate nor reorder records.
        "acks": "all",
        "enable.idempotence": True,
        # As memoscope's own producers: with one request in flight, a batch refused right after
        # the topics were created cannot make the batches behind it fail out of sequence.
        "max.in.flight.requests.per.connection": 1,
        # A missing topic must fail the run, not be auto-created with the broker's defaults
        # (which may delete records that runs are replayed from).
        "allow.auto.create.topics": False,
        # The partitioner of Kafka's Java client, so with several partitions each index lands
        # where `memoscope ingest` would put it.
        "partitioner": "murmur2_random",
        "linger.ms": 20,
    }


def check_topics(bootstrap, topics, timeout):
    """Fails unless every topic exists and the sample topics are empty (no duplicate indices)."""
    consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": "memoscope-example-check",
                         "enable.auto.commit": False, "allow.auto.create.topics": False})
    try:
        metadata = consumer.list_topics(timeout=timeout)  # all topics: asking for one may create it
        missing = [t for t in topics if t not in metadata.topics]
        if missing:
            raise Failed(f"missing topic(s) {', '.join(missing)}: create them first with "
                         f"memoscope ingest --create-topics-only --dataset <name>")
        for topic in topics[:-1]:  # the sample topics; memoscope.datasets is shared by every data set
            held = sum(high - low for low, high in (
                consumer.get_watermark_offsets(TopicPartition(topic, p), timeout=timeout)
                for p in metadata.topics[topic].partitions))
            if held:
                raise Failed(f"{topic} already holds {held} records: recreate the topics with memoscope ingest"
                             f" --create-topics-only --recreate --dataset <name>, then run this again")
    finally:
        consumer.close()


def produce(args, codecs):
    topics = [f"samples.{args.dataset}.{split}" for split in SPLITS] + [DATASETS_TOPIC]
    check_topics(args.bootstrap, topics, args.timeout)
    errors = []

    def delivered(error, message):
        if error is not None:
            errors.append(f"{message.topic()}: {error}")

    producer = Producer(producer_config(args.bootstrap))
    created_at = datetime.datetime.now(datetime.timezone.utc)
    for split, count in zip(SPLITS, (args.train, args.test)):
        for index, sample in samples(args, split, count):
            value = codecs["ImageSample"].encode(sample)
            while True:
                try:
                    producer.produce(f"samples.{args.dataset}.{split}", key=struct.pack(">q", index), value=value,
                                     on_delivery=delivered)
                    break
                except BufferError:
                    producer.poll(1)  # local queue full: let deliveries drain it
            producer.poll(0)
    # The DatasetInfo goes last, once every sample is acknowledged: a trainer that finds it can
    # rely on trainCount and testCount samples being there.
    flush(producer, args.timeout)
    if errors:
        raise Failed(f"{len(errors)} record(s) not written, e.g. {errors[0]}")
    producer.produce(DATASETS_TOPIC, key=args.dataset.encode("utf-8"),
                     value=codecs["DatasetInfo"].encode(dataset_info(args, created_at)), on_delivery=delivered)
    flush(producer, args.timeout)
    if errors:
        raise Failed(f"the DatasetInfo was not written: {errors[0]}")


def flush(producer, timeout):
    left = producer.flush(timeout)
    if left:
        raise Failed(f"{left} record(s) still unacknowledged after {timeout:g} s; is the broker at --bootstrap up?")


class OneLineParser(argparse.ArgumentParser):
    """Bad input is one line naming what is wrong, exit status 2 (the full usage is under --help)."""

    def error(self, message):
        self.exit(2, f"{self.prog}: {message}\n")


def arguments():
    parser = OneLineParser(description="Produce a synthetic data set for memoscope into Kafka.")
    parser.add_argument("--bootstrap", default="127.0.0.1:9092", help="Kafka bootstrap servers")
    parser.add_argument("--dataset", default="py-synthetic", help="data set name (1-64 of a-z 0-9 _ -)")
    parser.add_argument("--train", type=int, default=256, help="train images")
    parser.add_argument("--test", type=int, default=64, help="test images")
    parser.add_argument("--height", type=int, default=28)
    parser.add_argument("--width", type=int, default=28)
    parser.add_argument("--classes", type=int, default=10, help="real classes")
    parser.add_argument("--random-classes", type=int, default=10, help="random-label classes n")
    parser.add_argument("--labelings", type=int, default=1, help="random labelings per sample K")
    parser.add_argument("--seed", type=int, default=42, help="label seed (signed 64-bit), also seeds the images")
    parser.add_argument("--timeout", type=float, default=30, help="seconds to wait for the broker")
    parser.add_argument("--self-test", action="store_true", help="only check the encoding against docs/schema.md")
    args = parser.parse_args()
    if not DATASET_NAME.fullmatch(args.dataset):
        parser.error(f"--dataset {args.dataset!r}: 1-64 characters from a-z 0-9 _ -, starting with a letter or digit")
    if not -2**63 <= args.seed < 2**63:
        parser.error("--seed must fit a signed 64-bit long")
    for name in ("train", "test"):
        if getattr(args, name) < 0:
            parser.error(f"--{name} must not be negative")
    for name in ("height", "width", "classes", "random_classes", "labelings"):
        if getattr(args, name) < 1:
            parser.error(f"--{name.replace('_', '-')} must be at least 1")
    if args.classes > args.height:
        parser.error("--classes must not exceed --height: each class is a band of rows")
    return args


def main():
    args = arguments()
    codecs = {record: Codec(record) for record in DOCUMENTED_HEADERS}
    failures = self_test(codecs)
    if failures:
        sys.exit("produce_synthetic.py: self-test failed: " + "; ".join(failures))
    if args.self_test:
        print(f"self-test passed: {len(LABEL_VECTORS)} random-label vectors, 2 schema headers, the worked example")
        return
    try:
        produce(args, codecs)
    except Failed as e:
        sys.exit(f"produce_synthetic.py: {e}")
    print(f"produced {args.dataset}: train {args.train}, test {args.test} records into samples.{args.dataset}.train,"
          f" samples.{args.dataset}.test, and its DatasetInfo into {DATASETS_TOPIC}")


if __name__ == "__main__":
    main()
