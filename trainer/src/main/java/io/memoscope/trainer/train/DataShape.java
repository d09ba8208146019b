package io.memoscope.trainer.train;

import io.memoscope.trainer.data.BatchAssembler;
import io.memoscope.trainer.net.InputShape;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * What a run needs to know of its data set to build the network and its batches (from the data
 * set's DatasetInfo when streaming).
 *
 * @param labelings random labelings every sample carries
 */
public record DataShape(InputShape input, int numClasses, int randomClasses, int labelings) {

  public BatchAssembler assembler(DataType dataType) {
    return new BatchAssembler(input, numClasses, randomClasses, labelings, dataType);
  }
}
