package io.memoscope.ingest.source;

import io.memoscope.ingest.spi.OpenedDataset;
import io.memoscope.ingest.spi.SampleSource;
import io.memoscope.ingest.spi.SourceException;
import io.memoscope.ingest.spi.SourceOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * The CIFAR-10 and CIFAR-100 binary versions ({@code cifar-10-binary.tar.gz}, {@code
 * cifar-100-binary.tar.gz}, unpacked). The variant is told by the files in the folder.
 */
public final class CifarSource implements SampleSource {

  static final String DIR = "dir";

  @Override
  public String name() {
    return "cifar";
  }

  @Override
  public String description() {
    return "CIFAR-10 or CIFAR-100 binary files (data_batch_*.bin / train.bin), told apart by the files in dir";
  }

  @Override
  public Set<String> options() {
    return Set.of(DIR, CifarLabels.OPTION);
  }

  @Override
  public OpenedDataset open(SourceOptions options) {
    // No default: unlike Fashion-MNIST, no package installs CIFAR in a known place.
    Path dir =
        options
            .path(DIR)
            .orElseThrow(
                () ->
                    new SourceException(
                        "option "
                            + DIR
                            + " is required: the folder with the CIFAR-10 or CIFAR-100 binary files"));
    CifarLayout layout = CifarLayout.find(dir);
    CifarLabels labels = CifarLabels.of(layout.variant(), options.get(CifarLabels.OPTION));
    int recordBytes = layout.variant().recordBytes();
    List<CifarFile> train =
        layout.trainFiles().stream().map(p -> CifarFile.open(p, recordBytes)).toList();
    List<CifarFile> test =
        layout.testFiles().stream().map(p -> CifarFile.open(p, recordBytes)).toList();
    List<String> classNames = labels.classNames(layout.dir());
    for (CifarFile file : train) {
      file.checkLabels(labels.offset(), labels.classes());
    }
    for (CifarFile file : test) {
      file.checkLabels(labels.offset(), labels.classes());
    }
    return new CifarDataset(classNames, train, test, labels.offset(), layout.variant().labelBytes);
  }
}
