package io.memoscope.ingest.example;

import io.memoscope.ingest.spi.ImageShape;
import io.memoscope.ingest.spi.OpenedDataset;
import io.memoscope.ingest.spi.RawSample;
import io.memoscope.ingest.spi.SampleSink;
import io.memoscope.ingest.spi.SampleSource;
import io.memoscope.ingest.spi.SourceOptions;
import io.memoscope.protocol.avro.Split;
import java.util.List;
import java.util.Set;

/**
 * A third-party source in one file: 8x8 grey checkerboards with squares of 1 pixel (class "fine")
 * or 2 pixels (class "coarse"), shifted by the index. Listed in
 * META-INF/services/io.memoscope.ingest.spi.SampleSource, it is run with {@code memoscope ingest
 * --source checkerboard --source-option count=100}.
 */
public class CheckerboardSource implements SampleSource {

  private static final ImageShape SHAPE = new ImageShape(8, 8, 1);

  @Override
  public String name() {
    return "checkerboard";
  }

  @Override
  public String description() {
    return "8x8 checkerboards of two square sizes (example)";
  }

  @Override
  public Set<String> options() {
    return Set.of("count");
  }

  @Override
  public OpenedDataset open(SourceOptions options) {
    long count = options.longValue("count", 20);
    return new OpenedDataset() {
      @Override
      public ImageShape shape() {
        return SHAPE;
      }

      @Override
      public List<String> classNames() {
        return List.of("fine", "coarse");
      }

      @Override
      public long count(Split split) {
        return count;
      }

      @Override
      public void read(Split split, SampleSink sink) {
        for (long index = 0; index < count; index++) {
          int label = (int) (index % 2);
          int square = label + 1;
          byte[] pixels = new byte[SHAPE.pixelCount()];
          for (int y = 0; y < 8; y++) {
            for (int x = 0; x < 8; x++) {
              boolean white = ((y + index / 2) / square + x / square) % 2 == 0;
              pixels[y * 8 + x] = (byte) (white ? 255 : 0);
            }
          }
          if (!sink.accept(new RawSample(index, label, pixels))) {
            return;
          }
        }
      }

      @Override
      public void close() {}
    };
  }
}
