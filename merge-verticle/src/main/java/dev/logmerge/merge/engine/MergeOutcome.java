package dev.logmerge.merge.engine;

import dev.logmerge.core.job.JobResult;
import java.util.List;

/**
 * What a successful merge stored and wrote.
 *
 * @param result the committed sink's object
 * @param linesWritten lines in the result
 * @param bytesWritten bytes in the result
 * @param unsortedInputs names of the inputs that were found unsorted, in the order they were found;
 *     each was sorted on local disk and the merge restarted
 */
public record MergeOutcome(
    JobResult result, long linesWritten, long bytesWritten, List<String> unsortedInputs) {
  public MergeOutcome {
    unsortedInputs = List.copyOf(unsortedInputs);
  }
}
