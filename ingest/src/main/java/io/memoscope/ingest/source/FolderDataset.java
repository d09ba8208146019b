package io.memoscope.ingest.source;

import io.memoscope.ingest.spi.ImageShape;
import io.memoscope.ingest.spi.OpenedDataset;
import io.memoscope.ingest.spi.RawSample;
import io.memoscope.ingest.spi.SampleSink;
import io.memoscope.ingest.spi.SourceException;
import io.memoscope.protocol.avro.Split;
import java.awt.image.BufferedImage;
import java.util.List;

/**
 * An image folder tree whose headers have been checked; pixels are decoded one file at a time as
 * the split is read.
 *
 * @param resized whether images are scaled to the shape, rather than required to have it
 */
record FolderDataset(FolderTree tree, ImageShape shape, boolean resized, FolderFile reference)
    implements OpenedDataset {

  @Override
  public List<String> classNames() {
    return tree.classNames();
  }

  @Override
  public long count(Split split) {
    return tree.files().get(split).size();
  }

  @Override
  public void read(Split split, SampleSink sink) {
    List<FolderFile> files = tree.files().get(split);
    FolderSize size = new FolderSize(shape.height(), shape.width());
    for (int index = 0; index < files.size(); index++) {
      FolderFile file = files.get(index);
      BufferedImage image = FolderImages.decode(file.path());
      if (!resized) {
        // open() checked the headers; a decoder can still disagree with its own header.
        requireSize(file, new FolderSize(image.getHeight(), image.getWidth()), size, reference);
      }
      byte[] pixels = FolderPixels.pixels(image, shape.channels(), size);
      if (!sink.accept(new RawSample(index, file.label(), pixels))) {
        return;
      }
    }
  }

  static void requireSize(
      FolderFile file, FolderSize actual, FolderSize expected, FolderFile reference) {
    if (!actual.equals(expected)) {
      throw new SourceException(
          file.path()
              + ": "
              + actual
              + " (HxW), but "
              + reference.path()
              + " is "
              + expected
              + " and all images must match; pass --resize HEIGHTxWIDTH (e.g. --resize "
              + expected
              + ") to scale them all");
    }
  }

  @Override
  public void close() {
    // Nothing is held open between images.
  }
}
