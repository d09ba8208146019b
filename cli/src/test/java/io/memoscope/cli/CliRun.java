package io.memoscope.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;

/** One in-process run of the launcher, with what it printed. */
record CliRun(int exitCode, String out, String err) {

  static CliRun of(Map<String, String> env, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Memoscope.run(args, env, new PrintWriter(out, true), new PrintWriter(err, true));
    return new CliRun(code, out.toString(), err.toString());
  }

  /** {@code memoscope COMMAND ARGS… --bootstrap BOOTSTRAP}, without a settings file. */
  static CliRun against(String bootstrap, String command, String... args) {
    String[] all = new String[args.length + 3];
    all[0] = command;
    System.arraycopy(args, 0, all, 1, args.length);
    all[args.length + 1] = "--bootstrap";
    all[args.length + 2] = bootstrap;
    return of(Map.of(), all);
  }
}
