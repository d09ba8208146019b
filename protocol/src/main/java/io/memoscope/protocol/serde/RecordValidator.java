package io.memoscope.protocol.serde;

/** Checks the contract of a record beyond what its Avro schema can express. */
@FunctionalInterface
public interface RecordValidator<T> {

  /**
   * @throws InvalidRecordException with problem INVALID_FIELD naming the offending field
   */
  void validate(T value);

  static <T> RecordValidator<T> none() {
    return value -> {};
  }
}
