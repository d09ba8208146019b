package io.memoscope.cli;

/**
 * Where the services keep their data unless told otherwise: a folder each under one root, so that
 * {@code memoscope demo --data-root data} and the separate {@code broker} and {@code metrics}
 * commands use the same folders.
 */
final class DataDirs {

  static final String ROOT = "data";
  static final String BROKER = "broker";
  static final String METRICS = "metrics";
  static final String BROKER_DEFAULT = ROOT + "/" + BROKER;
  static final String METRICS_DEFAULT = ROOT + "/" + METRICS;

  private DataDirs() {}
}
