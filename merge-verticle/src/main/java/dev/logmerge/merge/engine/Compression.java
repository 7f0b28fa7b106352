package dev.logmerge.merge.engine;

import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * How an input's bytes are encoded, as the suffix of its file name says. A new codec is a new
 * constant: its suffix makes input names with it valid, its {@link #decode} makes their lines
 * readable.
 */
public enum Compression {
  NONE("") {
    @Override
    InputStream decode(String inputName, InputStream raw) {
      return raw;
    }
  },
  GZIP(".gz") {
    /** Gzip's own 512-byte default would inflate in tiny steps. */
    private static final int INPUT_BUFFER_BYTES = 64 * 1024;

    @Override
    InputStream decode(String inputName, InputStream raw) throws IOException {
      PushbackInputStream peekable = new PushbackInputStream(raw, 1);
      int first = peekable.read();
      if (first < 0) {
        // an empty object holds no lines, whatever its name says; gzip would call it truncated
        return peekable;
      }
      peekable.unread(first);
      try {
        // reads concatenated members, as gzip -d does
        return new CorruptionReporting(
            inputName, new GZIPInputStream(peekable, INPUT_BUFFER_BYTES));
      } catch (ZipException | EOFException e) {
        throw new CorruptInputException(inputName, e);
      }
    }
  };

  private final String suffix;

  Compression(String suffix) {
    this.suffix = suffix;
  }

  /** The file-name suffix that marks it, e.g. {@code .gz}; empty for {@link #NONE}. */
  public String suffix() {
    return suffix;
  }

  /** The compression whose suffix ends {@code fileName}; {@link #NONE} when none does. */
  public static Compression ofFileName(String fileName) {
    return Arrays.stream(values())
        .filter(c -> c != NONE && fileName.endsWith(c.suffix))
        .findFirst()
        .orElse(NONE);
  }

  /**
   * The decoded bytes of {@code raw}; closing them closes {@code raw}. Undecodable bytes fail reads
   * with a {@link CorruptInputException} naming the input.
   */
  abstract InputStream decode(String inputName, InputStream raw) throws IOException;

  /** Reports a decoder's complaint about its input as the input's corruption, not an I/O error. */
  private static final class CorruptionReporting extends FilterInputStream {
    private final String inputName;

    CorruptionReporting(String inputName, InputStream decoded) {
      super(decoded);
      this.inputName = inputName;
    }

    @Override
    public int read() throws IOException {
      try {
        return in.read();
      } catch (ZipException | EOFException e) {
        throw new CorruptInputException(inputName, e);
      }
    }

    @Override
    public int read(byte[] bytes, int offset, int length) throws IOException {
      try {
        return in.read(bytes, offset, length);
      } catch (ZipException | EOFException e) {
        throw new CorruptInputException(inputName, e);
      }
    }
  }
}
