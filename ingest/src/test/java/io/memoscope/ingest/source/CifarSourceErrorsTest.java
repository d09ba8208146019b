package io.memoscope.ingest.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.memoscope.ingest.spi.OpenedDataset;
import io.memoscope.ingest.spi.SourceException;
import io.memoscope.ingest.spi.SourceOptions;
import io.memoscope.protocol.avro.Split;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every kind of bad CIFAR input fails with a {@link SourceException} whose one-line message names
 * the file.
 */
class CifarSourceErrorsTest {

  private static final int RECORD_10 = 1 + 3072;
  private static final int RECORD_100 = 2 + 3072;

  @TempDir Path dir;

  private final CifarSource source = new CifarSource();

  private AbstractThrowableAssert<?, ? extends Throwable> assertOpenFails(
      Map<String, String> extra) {
    Map<String, String> options = new HashMap<>(extra);
    options.putIfAbsent("dir", dir.toString());
    return assertThatThrownBy(() -> source.open(SourceOptions.of(options)))
        .isInstanceOf(SourceException.class)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
  }

  @Test
  void dirIsRequired() {
    assertThatThrownBy(() -> source.open(SourceOptions.of(Map.of())))
        .isInstanceOf(SourceException.class)
        .hasMessageStartingWith("option dir is required");
  }

  @Test
  void missingDirectory() {
    Path missing = dir.resolve("nope");
    assertOpenFails(Map.of("dir", missing.toString()))
        .hasMessage("dir " + missing + ": no such directory");
  }

  @Test
  void neitherLayoutListsWhatWasExpected() throws Exception {
    Files.writeString(dir.resolve("readme.html"), "cifar");
    assertOpenFails(Map.of())
        .hasMessage(
            "no CIFAR binary files in "
                + dir
                + ": expected data_batch_1.bin …"
                + " data_batch_5.bin and test_batch.bin (CIFAR-10) or train.bin and test.bin (CIFAR-100), there or in its"
                + " subfolder cifar-10-batches-bin or cifar-100-binary");
  }

  @Test
  void bothLayoutsAreAmbiguous() {
    CifarTestFiles.writeCifar10(dir.resolve("cifar-10-batches-bin"));
    CifarTestFiles.writeCifar100(dir.resolve("cifar-100-binary"));
    assertOpenFails(Map.of())
        .hasMessageStartingWith("both CIFAR-10 and CIFAR-100 files found")
        .hasMessageContaining("cifar-10-batches-bin")
        .hasMessageContaining("point option dir");
  }

  @Test
  void missingBatch() throws Exception {
    CifarTestFiles.writeCifar10(dir);
    Files.delete(dir.resolve("data_batch_3.bin"));
    assertOpenFails(Map.of())
        .hasMessage(
            "missing file: "
                + dir.resolve("data_batch_3.bin")
                + " (CIFAR-10 needs data_batch_1.bin … data_batch_5.bin and test_batch.bin)");
  }

  @Test
  void missingCifar100Test() throws Exception {
    CifarTestFiles.writeCifar100(dir);
    Files.delete(dir.resolve("test.bin"));
    assertOpenFails(Map.of())
        .hasMessage(
            "missing file: "
                + dir.resolve("test.bin")
                + " (CIFAR-100 needs train.bin and test.bin)");
  }

  @Test
  void truncatedRecord() throws Exception {
    CifarTestFiles.writeCifar10(dir);
    Path batch = dir.resolve("data_batch_3.bin");
    byte[] content = Files.readAllBytes(batch);
    Files.write(batch, java.util.Arrays.copyOf(content, content.length - 100));
    long size = content.length - 100;
    assertOpenFails(Map.of())
        .hasMessage(
            "data_batch_3.bin: truncated: "
                + String.format(java.util.Locale.ROOT, "%,d", size)
                + " bytes is not a whole number of 3,073-byte records (3 records and 2,973 bytes)");
  }

  @Test
  void cifar100RecordsAreLongerThanCifar10s() throws Exception {
    // CIFAR-10 records in CIFAR-100 names: 12 records of 3,073 bytes are not whole 3,074-byte
    // records
    CifarTestFiles.writeCifar100(dir);
    CifarTestFiles.write(dir.resolve("train.bin"), new byte[12 * RECORD_10]);
    assertOpenFails(Map.of())
        .hasMessageStartingWith(
            "train.bin: truncated: 36,876 bytes is not a whole number of" + " 3,074-byte records");
  }

  @Test
  void emptyFile() {
    CifarTestFiles.writeCifar10(dir);
    CifarTestFiles.write(dir.resolve("test_batch.bin"), new byte[0]);
    assertOpenFails(Map.of()).hasMessage("test_batch.bin: empty, expected records of 3,073 bytes");
  }

  @Test
  void cifar10LabelOutOfRange() {
    CifarTestFiles.writeCifar10(dir);
    CifarTestFiles.poke(dir.resolve("data_batch_5.bin"), RECORD_10, 10);
    assertOpenFails(Map.of())
        .hasMessage("data_batch_5.bin: label 10 of record 1 is out of range [0, 10)");
  }

  @Test
  void cifar100FineLabelOutOfRange() {
    CifarTestFiles.writeCifar100(dir);
    CifarTestFiles.poke(dir.resolve("test.bin"), 2L * RECORD_100 + 1, 100);
    assertOpenFails(Map.of())
        .hasMessage("test.bin: label 100 of record 2 is out of range [0, 100)");
  }

  @Test
  void cifar100CoarseLabelOutOfRange() {
    CifarTestFiles.writeCifar100(dir);
    CifarTestFiles.poke(dir.resolve("train.bin"), 6L * RECORD_100, 20);
    // the fine labels are fine
    try (OpenedDataset dataset = source.open(SourceOptions.of(Map.of("dir", dir.toString())))) {
      assertThat(Reads.all(dataset, Split.train)).hasSize(CifarTestFiles.TRAIN_100);
    }
    assertOpenFails(Map.of("labels", "coarse"))
        .hasMessage("train.bin: label 20 of record 6 is out of range [0, 20)");
  }

  @Test
  void labelsOptionIsForCifar100Only() {
    CifarTestFiles.writeCifar10(dir);
    assertOpenFails(Map.of("labels", "fine"))
        .hasMessageStartingWith("option labels: CIFAR-10 has one kind of label");
  }

  @Test
  void unknownLabelsOption() {
    CifarTestFiles.writeCifar100(dir);
    assertOpenFails(Map.of("labels", "medium"))
        .hasMessage("option labels: 'medium' is neither fine nor coarse");
  }

  @Test
  void classNameFileWithTheWrongCount() {
    CifarTestFiles.writeCifar10(dir);
    CifarTestFiles.writeLines(dir.resolve("batches.meta.txt"), "airplane", "automobile", "bird");
    assertOpenFails(Map.of()).hasMessage("batches.meta.txt: 3 class names, expected 10");
  }

  @Test
  void fileShrinkingAfterOpenFailsWhileReading() throws Exception {
    CifarTestFiles.writeCifar10(dir);
    OpenedDataset dataset = source.open(SourceOptions.of(Map.of("dir", dir.toString())));
    Path batch = dir.resolve("data_batch_1.bin");
    Files.write(batch, java.util.Arrays.copyOf(Files.readAllBytes(batch), RECORD_10 + 10));
    assertThatThrownBy(() -> Reads.all(dataset, Split.train))
        .isInstanceOf(SourceException.class)
        .hasMessageStartingWith("data_batch_1.bin: truncated at record 1 of 3");
  }

  @Test
  void readAfterCloseIsAProgrammingError() {
    CifarTestFiles.writeCifar10(dir);
    OpenedDataset dataset = source.open(SourceOptions.of(Map.of("dir", dir.toString())));
    dataset.close();
    assertThatThrownBy(() -> Reads.all(dataset, Split.test))
        .isInstanceOf(IllegalStateException.class);
  }
}
