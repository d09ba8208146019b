package io.memoscope.trainer.stream;

import io.memoscope.trainer.heads.MultiHeadModel;
import io.memoscope.trainer.heads.RandomLabelHead;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** SHA-256 over the parameters of every network of a run: graph first, then each head in order. */
public final class ParameterDigest {

  private ParameterDigest() {}

  public static String of(MultiHeadModel model) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      update(digest, model.graph().params());
      for (RandomLabelHead head : model.heads()) {
        update(digest, head.params());
      }
      return HexFormat.of().formatHex(digest.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  private static void update(MessageDigest digest, INDArray parameters) {
    double[] values = parameters.dup().castTo(DataType.DOUBLE).toDoubleVector();
    ByteBuffer bytes = ByteBuffer.allocate(values.length * Double.BYTES);
    for (double value : values) {
      bytes.putDouble(value);
    }
    digest.update(bytes.array());
  }
}
