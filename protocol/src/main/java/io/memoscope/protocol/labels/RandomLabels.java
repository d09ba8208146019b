package io.memoscope.protocol.labels;

import io.memoscope.protocol.Topics;
import io.memoscope.protocol.avro.Split;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The fixed random label of a sample (docs/schema.md, "Random labels"), defined so that any
 * language can recompute it:
 *
 * <pre>
 *   key = UTF-8 bytes of "&lt;seed&gt;:&lt;dataset&gt;:&lt;split&gt;:&lt;index&gt;:&lt;k&gt;"
 *   ŷ   = (first 8 bytes of SHA-256(key) as an unsigned big-endian 64-bit integer) mod n
 * </pre>
 *
 * Integers are written in decimal without padding or spaces; a negative seed gets a leading '-'.
 * The split is {@code train} or {@code test}. Pure and thread-safe.
 */
public final class RandomLabels {

  // MessageDigest is not thread-safe and getInstance is comparatively slow; ingest calls this
  // once per sample and labeling.
  private static final ThreadLocal<MessageDigest> SHA256 =
      ThreadLocal.withInitial(RandomLabels::newSha256);

  private RandomLabels() {}

  /**
   * The random label of sample {@code index} of {@code dataset}/{@code split} under labeling {@code
   * k}, uniform in {@code [0, n)}.
   *
   * @throws IllegalArgumentException if n &lt; 1, index &lt; 0, k &lt; 0 or the data set name is
   *     invalid (see {@link Topics#validateDatasetName})
   */
  public static int label(long seed, String dataset, Split split, long index, int k, int n) {
    if (n < 1) {
      throw new IllegalArgumentException("number of random classes n must be >= 1, got " + n);
    }
    return (int) Long.remainderUnsigned(hash64(key(seed, dataset, split, index, k)), n);
  }

  /** The labels of labelings {@code k = 0 .. labelings-1}, in that order. */
  public static List<Integer> labels(
      long seed, String dataset, Split split, long index, int labelings, int n) {
    if (labelings < 1) {
      throw new IllegalArgumentException("number of labelings must be >= 1, got " + labelings);
    }
    List<Integer> labels = new ArrayList<>(labelings);
    for (int k = 0; k < labelings; k++) {
      labels.add(label(seed, dataset, split, index, k, n));
    }
    return labels;
  }

  /** The key string that is hashed, e.g. {@code 42:fashion-mnist:train:0:0}. */
  public static String key(long seed, String dataset, Split split, long index, int k) {
    Topics.validateDatasetName(dataset);
    Objects.requireNonNull(split, "split");
    if (index < 0) {
      throw new IllegalArgumentException("sample index must be >= 0, got " + index);
    }
    if (k < 0) {
      throw new IllegalArgumentException("labeling k must be >= 0, got " + k);
    }
    return seed + ":" + dataset + ":" + split.name() + ":" + index + ":" + k;
  }

  /**
   * The first 8 bytes of SHA-256 of the UTF-8 key, as a big-endian 64-bit integer (to be read as
   * unsigned).
   */
  public static long hash64(String key) {
    MessageDigest sha256 = SHA256.get();
    byte[] digest = sha256.digest(key.getBytes(StandardCharsets.UTF_8));
    return ByteBuffer.wrap(digest, 0, Long.BYTES).getLong();
  }

  private static MessageDigest newSha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      // Every Java platform is required to provide SHA-256.
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }
}
