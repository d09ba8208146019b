package io.memoscope.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code ./memoscope} launcher keeps the Maven profile (the ND4J backend) its jar was built
 * with. It runs on a copy of the launcher in a scratch checkout, with a stub {@code mvn} first on
 * the PATH that records its arguments and "builds" a tiny runnable jar, so no real (CUDA) build
 * runs.
 */
class LauncherProfileTest {

  private static final Path LAUNCHER = Path.of("..", "memoscope").toAbsolutePath().normalize();
  private static final Instant AN_HOUR_AGO = Instant.now().minusSeconds(3600);

  @TempDir Path root;

  private Path jar;
  private Path marker;
  private Path source;

  /**
   * The main class of the stand-in jar: prints its arguments, so a test sees the launcher ran it.
   */
  public static final class Echo {
    public static void main(String[] args) {
      System.out.println("echo " + String.join(" ", args));
    }
  }

  record Run(int exit, String out, String err, List<String> mvnCalls) {}

  @BeforeEach
  void scratchCheckout() throws IOException {
    Files.copy(LAUNCHER, root.resolve("memoscope"));
    Files.writeString(root.resolve("pom.xml"), "<project/>\n");
    source = root.resolve("cli/src/main/java/Main.java");
    Files.createDirectories(source.getParent());
    Files.writeString(source, "class Main {}\n");
    Files.createDirectories(root.resolve("cli/target"));
    jar = root.resolve("cli/target/memoscope.jar");
    marker = root.resolve("cli/target/memoscope.profile");
    // What a build produces: the stub copies it into place, with a new modification time.
    writeJar(root.resolve("built.jar"), false);
    Path stub = root.resolve("bin/mvn");
    Files.createDirectories(stub.getParent());
    Files.writeString(
        stub,
        """
        #!/usr/bin/env bash
        echo "$*" >>"$(dirname "$0")/../mvn-calls.txt"
        cp "$(dirname "$0")/../built.jar" cli/target/memoscope.jar
        """);
    Files.setPosixFilePermissions(stub, PosixFilePermissions.fromString("rwxr-xr-x"));
    // The pom is older than any jar a test places; the source is newer, unless a test says
    // otherwise.
    Files.setLastModifiedTime(root.resolve("pom.xml"), FileTime.from(AN_HOUR_AGO.minusSeconds(60)));
    Files.setLastModifiedTime(source, FileTime.from(Instant.now()));
  }

  @Test
  void aRebuildAfterASourceChangeKeepsTheCudaProfile() throws Exception {
    placeOldJar(false, "cuda");

    Run run = launch(Map.of(), "--version");

    assertThat(run.exit).isZero();
    assertThat(run.mvnCalls).hasSize(1);
    assertThat(run.mvnCalls.get(0)).contains("-Pcuda").contains("package").doesNotContain("-Pcpu");
    assertThat(run.err)
        .contains("with profile cuda (ND4J on NVIDIA GPUs")
        .contains("changed sources")
        .contains("built the cuda backend");
    assertThat(Files.readString(marker).trim()).isEqualTo("cuda");
    assertThat(run.out).isEqualTo("echo --version\n");
  }

  @Test
  void aJarBuiltByHandForCudaIsRebuiltForCuda() throws Exception {
    placeOldJar(true, null); // e.g. mvn -Pcuda package: no marker, ND4J's CUDA backend inside

    Run run = launch(Map.of(), "--version");

    assertThat(run.exit).isZero();
    assertThat(run.mvnCalls).singleElement().asString().contains("-Pcuda");
  }

  @Test
  void theFirstBuildIsForTheCpuAndTheNextRunBuildsNothing() throws Exception {
    Run first = launch(Map.of(), "a");
    Run second = launch(Map.of(), "b");

    assertThat(first.mvnCalls).singleElement().asString().contains("-Pcpu");
    assertThat(first.err).contains("with profile cpu (ND4J on the CPU; first run");
    assertThat(Files.readString(marker).trim()).isEqualTo("cpu");
    assertThat(second.mvnCalls).hasSize(1); // still only the first run's build
    assertThat(second.err).isEmpty();
    assertThat(second.out).isEqualTo("echo b\n");
  }

  @Test
  void memoscopeProfileChoosesTheBackendAndRebuildsAnUpToDateJarForIt() throws Exception {
    placeOldJar(false, "cpu");
    Files.setLastModifiedTime(
        source, FileTime.from(AN_HOUR_AGO.minusSeconds(60))); // the jar is up to date

    Run run = launch(Map.of("MEMOSCOPE_PROFILE", "cuda"), "x");

    assertThat(run.mvnCalls).singleElement().asString().contains("-Pcuda");
    assertThat(run.err).contains("MEMOSCOPE_PROFILE=cuda, the jar is cpu");
    assertThat(Files.readString(marker).trim()).isEqualTo("cuda");
  }

  @Test
  void anUnknownProfileIsAUsageError() throws Exception {
    Run run = launch(Map.of("MEMOSCOPE_PROFILE", "gpu"), "x");

    assertThat(run.exit).isEqualTo(2);
    assertThat(run.err).contains("MEMOSCOPE_PROFILE must be cpu or cuda, not 'gpu'");
    assertThat(run.mvnCalls).isEmpty();
  }

  /** An existing jar (and marker, unless null), an hour older than the sources. */
  private void placeOldJar(boolean withCudaBackend, String profile) throws IOException {
    writeJar(jar, withCudaBackend);
    Files.setLastModifiedTime(jar, FileTime.from(AN_HOUR_AGO));
    if (profile != null) {
      Files.writeString(marker, profile + "\n");
      Files.setLastModifiedTime(marker, FileTime.from(AN_HOUR_AGO));
    }
  }

  private static void writeJar(Path path, boolean withCudaBackend) throws IOException {
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, Echo.class.getName());
    String echoClass = Echo.class.getName().replace('.', '/') + ".class";
    try (OutputStream file = Files.newOutputStream(path);
        JarOutputStream out = new JarOutputStream(file, manifest);
        InputStream bytes = Echo.class.getResourceAsStream("/" + echoClass)) {
      out.putNextEntry(new JarEntry(echoClass));
      bytes.transferTo(out);
      if (withCudaBackend) {
        out.putNextEntry(new JarEntry("org/nd4j/linalg/jcublas/JCublasBackend.class"));
      }
    }
  }

  private Run launch(Map<String, String> env, String... args) throws Exception {
    Path out = Files.createTempFile(root, "out", ".txt");
    Path err = Files.createTempFile(root, "err", ".txt");
    ProcessBuilder builder = new ProcessBuilder("bash", root.resolve("memoscope").toString());
    builder.command().addAll(List.of(args));
    builder.environment().remove("MEMOSCOPE_PROFILE");
    builder.environment().remove("MEMOSCOPE_JAVA_OPTS");
    builder
        .environment()
        .merge("PATH", root.resolve("bin").toString(), (path, bin) -> bin + ":" + path);
    builder.environment().putAll(env);
    Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("the launcher finished").isTrue();
    Path calls = root.resolve("mvn-calls.txt");
    return new Run(
        process.exitValue(),
        Files.readString(out),
        Files.readString(err),
        Files.exists(calls) ? Files.readAllLines(calls) : List.of());
  }
}
