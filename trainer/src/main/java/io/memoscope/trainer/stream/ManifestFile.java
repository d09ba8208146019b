package io.memoscope.trainer.stream;

import io.memoscope.protocol.avro.RunManifest;
import io.memoscope.protocol.serde.Codecs;
import io.memoscope.protocol.serde.SerdeSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The run manifest kept beside a run's checkpoints ({@value #NAME}): what {@code --resume} reads to
 * continue the run on the same records and config. Written atomically, so a crash leaves the old
 * file or the new one, never half of one.
 */
final class ManifestFile {

  static final String NAME = "manifest.avro";

  private ManifestFile() {}

  /**
   * @throws IllegalStateException if the run has no readable manifest (no such run to resume)
   */
  static RunManifest read(Path runDirectory, String runId) {
    Path file = runDirectory.resolve(NAME);
    try {
      return Codecs.runManifest(SerdeSettings.defaults()).decode(Files.readAllBytes(file));
    } catch (IOException e) {
      throw new IllegalStateException("no run " + runId + " to resume: cannot read " + file, e);
    }
  }

  static void write(Path runDirectory, RunManifest manifest) {
    try {
      Files.createDirectories(runDirectory);
      Path temporary = Files.createTempFile(runDirectory, ".manifest", ".tmp");
      Files.write(temporary, Codecs.runManifest(SerdeSettings.defaults()).encode(manifest));
      Files.move(
          temporary,
          runDirectory.resolve(NAME),
          StandardCopyOption.REPLACE_EXISTING,
          StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "writing the manifest to " + runDirectory + ": " + e.getMessage(), e);
    }
  }
}
