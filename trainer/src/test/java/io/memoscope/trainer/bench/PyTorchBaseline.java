package io.memoscope.trainer.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * bench/pytorch_small_cnn.py kept running in serve mode, so that its timed rounds can alternate
 * with DL4J's and both see the same load on a shared machine.
 */
final class PyTorchBaseline implements AutoCloseable {

  private final Process process;
  private final BufferedReader replies;
  private final Writer requests;
  private final String description;

  /** Starts the script and waits for its warm-up to finish. */
  PyTorchBaseline(BenchOptions options) throws IOException {
    ProcessBuilder builder =
        new ProcessBuilder(
            List.of(
                options.python(),
                options.torchScript(),
                "--serve",
                "--threads",
                String.valueOf(options.torchThreads()),
                "--batch",
                String.valueOf(options.batch()),
                "--steps",
                String.valueOf(options.steps()),
                "--warmup",
                String.valueOf(options.warmup()),
                "--padding",
                options.samePadding() ? "same" : "valid",
                "--network",
                options.defaultNetwork() ? "default" : "plain",
                "--eval",
                String.valueOf(options.evaluated()),
                "--taps",
                options.taps(),
                "--heads",
                options.heads()));
    builder.redirectError(ProcessBuilder.Redirect.INHERIT);
    // torch.set_num_threads does not reach OpenBLAS's own pool.
    String threads = String.valueOf(options.torchThreads());
    builder.environment().put("OMP_NUM_THREADS", threads);
    builder.environment().put("OPENBLAS_NUM_THREADS", threads);
    if (!options.torchBlas().isEmpty()) {
      String inherited = builder.environment().get("LD_LIBRARY_PATH");
      builder
          .environment()
          .put("LD_LIBRARY_PATH", options.torchBlas() + (inherited == null ? "" : ":" + inherited));
    }
    process = builder.start();
    replies =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    requests = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    description = expect("ready");
  }

  String description() {
    return description;
  }

  /** One timed round of the script: samples per second. */
  double round() throws IOException {
    requests.write("round\n");
    requests.flush();
    return Double.parseDouble(expect("rate"));
  }

  private String expect(String keyword) throws IOException {
    String line = replies.readLine();
    if (line == null || !line.startsWith(keyword + " ")) {
      throw new IOException("pytorch_small_cnn.py: expected '" + keyword + " …', got " + line);
    }
    return line.substring(keyword.length() + 1);
  }

  @Override
  public void close() throws IOException {
    requests.close();
    try {
      process.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroy();
    }
  }
}
