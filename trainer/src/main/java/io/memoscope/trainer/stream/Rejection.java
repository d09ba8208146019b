package io.memoscope.trainer.stream;

import io.memoscope.protocol.serde.InvalidRecordException;

/**
 * Why the trainer did not train on a record of its ranges: the {@code memoscope.problem} header of
 * the dead letter. Coarse on purpose, so dead letters can be counted by it; the {@code
 * memoscope.reason} header says what exactly was wrong.
 */
public enum Rejection {
  /** Not single-object encoded (deserializer). */
  NOT_SINGLE_OBJECT,
  /** Written with a schema this trainer does not know (deserializer). */
  UNKNOWN_SCHEMA,
  /** Another record type than ImageSample (deserializer). */
  WRONG_TYPE,
  /** The body does not match its writer schema (deserializer). */
  CORRUPT,
  /** The writer schema does not resolve against ImageSample's (deserializer). */
  INCOMPATIBLE_SCHEMA,
  /** A field breaks ImageSample's contract, e.g. a wrong random label (deserializer). */
  INVALID_FIELD,
  /** No value: a tombstone. */
  EMPTY_VALUE,
  /** Valid, but its dimensions, class counts or labelings are not the data set's (DatasetInfo). */
  SHAPE_MISMATCH,
  /** The key is not the 8-byte big-endian {@code index} of the value. */
  KEY_MISMATCH,
  /** The value's {@code dataset} is not the data set of the topic it was read from. */
  DATASET_MISMATCH,
  /** The value's {@code split} is not the split of the topic it was read from. */
  SPLIT_MISMATCH,
  /**
   * A record read before it from the run's range has the same index. The read order is fixed by the
   * range: partitions in turn (in partition order), one record each, each partition in offset
   * order.
   */
  DUPLICATE_INDEX;

  /** The deserializer's problem under the same name. */
  static Rejection of(InvalidRecordException.Problem problem) {
    return valueOf(problem.name());
  }
}
