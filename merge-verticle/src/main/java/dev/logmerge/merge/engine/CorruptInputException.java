package dev.logmerge.merge.engine;

import java.io.IOException;

/** An input's bytes cannot be decoded as its name says they are encoded (e.g. broken gzip). */
public final class CorruptInputException extends IOException {
  public CorruptInputException(String inputName, Throwable decoderFailure) {
    super("input " + inputName + " is corrupt: " + decoderFailure.getMessage(), decoderFailure);
  }
}
