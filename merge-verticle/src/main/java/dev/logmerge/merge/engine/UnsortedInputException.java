package dev.logmerge.merge.engine;

import java.io.IOException;

/**
 * An input has a line that sorts below the line before it. {@link MergeEngine} handles it by
 * sorting that input on local disk and restarting; it only escapes the engine as a bug.
 */
public final class UnsortedInputException extends IOException {
  private final int inputIndex;
  private final String inputName;

  public UnsortedInputException(int inputIndex, String inputName, long lineNumber) {
    super(
        "input "
            + inputIndex
            + " ("
            + inputName
            + ") is not sorted: line "
            + lineNumber
            + " sorts before the line above it");
    this.inputIndex = inputIndex;
    this.inputName = inputName;
  }

  /** Position of the input in the list given to the merge. */
  public int inputIndex() {
    return inputIndex;
  }

  public String inputName() {
    return inputName;
  }
}
