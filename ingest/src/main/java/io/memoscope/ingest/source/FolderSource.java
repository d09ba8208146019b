package io.memoscope.ingest.source;

import io.memoscope.ingest.spi.ImageShape;
import io.memoscope.ingest.spi.OpenedDataset;
import io.memoscope.ingest.spi.SampleSource;
import io.memoscope.ingest.spi.SourceOptions;
import io.memoscope.protocol.avro.Split;
import java.util.Set;

/**
 * A folder tree of images, {@code dir/train/<class>/*.png|jpg|jpeg} and {@code dir/test/<class>/…},
 * as torchvision's ImageFolder lays them out (see {@link FolderTree} for labels and order, {@link
 * FolderPixels} for channel conversion and resizing).
 *
 * <p>Options: {@code dir} (required); {@code resize} HEIGHTxWIDTH, e.g. {@code 32x32} (without it
 * every image must have the size of the first train image); {@code channels} 1 or 3 (default: 1 if
 * the first train image is grey, else 3).
 *
 * <p>{@link #open} reads every file's header, so a wrong size or an unreadable header fails before
 * anything is sent; pixels are decoded only while reading.
 */
public final class FolderSource implements SampleSource {

  @Override
  public String name() {
    return "folder";
  }

  @Override
  public String description() {
    return "image folders dir/train/<class>/*.png|jpg and dir/test/<class>/*.png|jpg, labelled by sorted class name";
  }

  @Override
  public Set<String> options() {
    return Set.of(FolderOptions.DIR, FolderOptions.RESIZE, FolderOptions.CHANNELS);
  }

  @Override
  public OpenedDataset open(SourceOptions options) {
    FolderOptions folder = FolderOptions.parse(options);
    FolderTree tree = FolderTree.scan(folder.dir());
    FolderFile reference = tree.files().get(Split.train).get(0);
    FolderSize referenceSize = FolderImages.size(reference.path());
    for (Split split : Split.values()) {
      for (FolderFile file : tree.files().get(split)) {
        FolderSize size = FolderImages.size(file.path());
        if (folder.resize().isEmpty()) {
          FolderDataset.requireSize(file, size, referenceSize, reference);
        }
      }
    }
    FolderSize size = folder.resize().orElse(referenceSize);
    int channels =
        folder
            .channels()
            .orElseGet(() -> FolderPixels.isGrey(FolderImages.decode(reference.path())) ? 1 : 3);
    return new FolderDataset(
        tree,
        new ImageShape(size.height(), size.width(), channels),
        folder.resize().isPresent(),
        reference);
  }
}
