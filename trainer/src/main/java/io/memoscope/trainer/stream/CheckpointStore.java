package io.memoscope.trainer.stream;

import io.memoscope.trainer.heads.ModelState;
import io.memoscope.trainer.heads.ModelState.NetworkState;
import io.memoscope.trainer.heads.ModelState.RandomState;
import io.memoscope.trainer.train.EpochTally;
import io.memoscope.trainer.train.TrainingPosition;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A run's checkpoints: {@code <run dir>/checkpoints/step-<step>.ckpt}, each the model state, the
 * position to continue from (with the tally of the epoch's samples trained so far) and the next
 * event sequence number, followed by a SHA-256 of all of it. Written to a temporary file, forced to
 * disk, then renamed, so a crash leaves either the old set or the new file whole; a file whose
 * checksum does not match is skipped for the one before. The newest {@code keep} are kept.
 */
public final class CheckpointStore {

  private static final Logger log = LoggerFactory.getLogger(CheckpointStore.class);
  private static final int MAGIC =
      0x4d434b32; // "MCK2": the epoch's sample tally and the generator state added
  private static final int DIGEST_BYTES = 32;

  /** A checkpoint as read back. */
  public record Checkpoint(TrainingPosition position, long nextEventSequence, ModelState state) {}

  private final Path directory;
  private final int keep;

  public CheckpointStore(Path runDirectory, int keep) {
    if (keep < 1) {
      throw new IllegalArgumentException("keep at least one checkpoint, not " + keep);
    }
    this.directory = runDirectory.resolve("checkpoints");
    this.keep = keep;
  }

  public Path write(TrainingPosition position, long nextEventSequence, ModelState state) {
    try {
      Files.createDirectories(directory);
      Path file = directory.resolve(fileName(position.step()));
      Path temporary = Files.createTempFile(directory, ".step-", ".tmp");
      try (FileOutputStream out = new FileOutputStream(temporary.toFile())) {
        MessageDigest sha = sha256();
        // Buffered: ND4J writes an array one float at a time, a system call each without it.
        DataOutputStream body =
            new DataOutputStream(
                new BufferedOutputStream(new DigestOutputStream(out, sha), 1 << 16));
        body.writeInt(MAGIC);
        body.writeInt(position.epoch());
        body.writeLong(position.batchesDone());
        body.writeLong(position.step());
        body.writeLong(position.tally().samples());
        body.writeLong(position.tally().digest());
        body.writeLong(nextEventSequence);
        writeNetwork(body, state.graph());
        body.writeInt(state.heads().size());
        for (NetworkState head : state.heads()) {
          writeNetwork(body, head);
        }
        body.writeBoolean(state.random() != null);
        if (state.random() != null) {
          body.writeLong(state.random().root());
          body.writeLong(state.random().node());
        }
        body.flush();
        out.write(sha.digest());
        out.getFD().sync();
      }
      Files.move(
          temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      prune();
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(
          "writing a checkpoint to " + directory + ": " + e.getMessage(), e);
    }
  }

  /** The newest checkpoint whose checksum holds, if any. */
  public Optional<Checkpoint> newestValid() {
    List<Path> files = files();
    for (int i = files.size() - 1; i >= 0; i--) {
      Path file = files.get(i);
      try {
        return Optional.of(load(file));
      } catch (IOException | RuntimeException e) {
        log.warn("skipping checkpoint {}: {}", file.getFileName(), e.getMessage());
      }
    }
    return Optional.empty();
  }

  /**
   * The checkpoint taken after {@code step} optimizer steps.
   *
   * @throws IllegalArgumentException naming the steps there are, if there is none at that step or
   *     it is damaged
   */
  public Checkpoint atStep(long step) {
    Path file = directory.resolve(fileName(step));
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException(
          "no checkpoint at step "
              + step
              + " in "
              + directory
              + "; there are "
              + (files().isEmpty()
                  ? "none"
                  : "checkpoints at steps "
                      + files().stream().map(CheckpointStore::stepOf).toList()));
    }
    try {
      return load(file);
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException(
          "checkpoint " + file + " cannot be read: " + e.getMessage(), e);
    }
  }

  /** The file name of the checkpoint after {@code step} steps. */
  public static String fileName(long step) {
    return String.format("step-%012d.ckpt", step);
  }

  private static long stepOf(Path file) {
    String name = file.getFileName().toString();
    return Long.parseLong(name.substring("step-".length(), name.length() - ".ckpt".length()));
  }

  private static Checkpoint load(Path file) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    if (bytes.length <= DIGEST_BYTES) {
      throw new IOException("too short");
    }
    byte[] body = Arrays.copyOf(bytes, bytes.length - DIGEST_BYTES);
    byte[] digest = Arrays.copyOfRange(bytes, bytes.length - DIGEST_BYTES, bytes.length);
    if (!MessageDigest.isEqual(sha256().digest(body), digest)) {
      throw new IOException("checksum mismatch");
    }
    return read(new DataInputStream(new ByteArrayInputStream(body)));
  }

  /** Checkpoint files, oldest first. */
  public List<Path> files() {
    if (!Files.isDirectory(directory)) {
      return List.of();
    }
    try (Stream<Path> entries = Files.list(directory)) {
      return new ArrayList<>(
          entries
              .filter(p -> p.getFileName().toString().endsWith(".ckpt"))
              .sorted(Comparator.comparing(p -> p.getFileName().toString()))
              .toList());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void prune() throws IOException {
    List<Path> all = files();
    for (int i = 0; i < all.size() - keep; i++) {
      Files.deleteIfExists(all.get(i));
    }
  }

  private static Checkpoint read(DataInputStream in) throws IOException {
    if (in.readInt() != MAGIC) {
      throw new IOException("not a memoscope checkpoint");
    }
    TrainingPosition position =
        new TrainingPosition(
            in.readInt(),
            in.readLong(),
            in.readLong(),
            new EpochTally(in.readLong(), in.readLong()));
    long sequence = in.readLong();
    NetworkState graph = readNetwork(in);
    int heads = in.readInt();
    List<NetworkState> headStates = new ArrayList<>();
    for (int i = 0; i < heads; i++) {
      headStates.add(readNetwork(in));
    }
    RandomState random = in.readBoolean() ? new RandomState(in.readLong(), in.readLong()) : null;
    return new Checkpoint(position, sequence, new ModelState(graph, headStates, random));
  }

  private static void writeNetwork(DataOutputStream out, NetworkState state) throws IOException {
    out.writeInt(state.iterations());
    out.writeInt(state.epochs());
    Nd4j.write(state.params(), out);
    out.writeBoolean(state.updater() != null);
    if (state.updater() != null) {
      Nd4j.write(state.updater(), out);
    }
  }

  private static NetworkState readNetwork(DataInputStream in) throws IOException {
    int iterations = in.readInt();
    int epochs = in.readInt();
    INDArray params = Nd4j.read(in);
    INDArray updater = in.readBoolean() ? Nd4j.read(in) : null;
    return new NetworkState(params, updater, iterations, epochs);
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
