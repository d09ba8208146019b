package io.memoscope.ingest.source;

import java.nio.file.Path;

/** One image of the folder source and the label of the class folder it lies in. */
record FolderFile(Path path, int label) {}
