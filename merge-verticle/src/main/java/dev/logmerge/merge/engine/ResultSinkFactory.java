package dev.logmerge.merge.engine;

import java.io.IOException;

/** Opens a fresh, empty {@link ResultSink}; a merge that restarts opens a new one. */
@FunctionalInterface
public interface ResultSinkFactory {
  ResultSink open() throws IOException;
}
