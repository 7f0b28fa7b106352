package dev.logmerge.merge.engine;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.List;

/**
 * Merges sorted {@link LineCursor}s into one sorted stream of lines, breaking ties between equal lines by
 * cursor order, so the merge is deterministic.
 *
 * <p>A loser tree picks the next line with about log2(k) comparisons. When the same cursor wins twice in a
 * row it probably holds a run (inputs that cover different hours), so the merger finds the best of the other
 * cursors once and then emits that cursor's lines with one comparison each, without replaying the tree.
 */
final class KWayMerger {
  /** How often the merge looks at the interrupt flag and publishes lines written. */
  private static final int LINES_PER_CHECKPOINT = 4096;
  private static final int OUTPUT_BUFFER_BYTES = 64 * 1024;
  private static final int NONE = -1;

  private final LineCursor[] cursors;
  /**
   * {@code tree[0]} is the winner; {@code tree[1..k-1]} hold the loser of the match at each inner node. The
   * leaf of cursor {@code i} sits at virtual node {@code k + i}; node {@code n}'s parent is {@code n / 2}.
   */
  private final int[] tree;
  private final MergeProgress progress;

  private OutputBuffer out;
  private long linesWritten;
  private int linesUntilCheckpoint = LINES_PER_CHECKPOINT;

  /** What a merge wrote. */
  record Result(long linesWritten, long bytesWritten) {
  }

  /** @param cursors positioned before their first line; the order breaks ties */
  KWayMerger(List<LineCursor> cursors, MergeProgress progress) {
    this.cursors = cursors.toArray(new LineCursor[0]);
    this.tree = new int[Math.max(1, this.cursors.length)];
    this.progress = progress;
  }

  /**
   * Writes every line of every cursor, each followed by {@code '\n'}, in sorted order. Does not flush or close
   * {@code sink}.
   *
   * @throws UnsortedInputException if a cursor meets a line below its previous one
   * @throws InterruptedIOException if the thread is interrupted (checked every few thousand lines)
   */
  Result mergeInto(OutputStream sink) throws IOException {
    out = new OutputBuffer(sink, OUTPUT_BUFFER_BYTES);
    for (LineCursor cursor : cursors) {
      checkInterrupted();
      cursor.advance();
    }
    if (cursors.length > 0) {
      buildTree();
      mergeAll();
    }
    out.drain();
    progress.addLinesWritten(LINES_PER_CHECKPOINT - linesUntilCheckpoint);
    return new Result(linesWritten, out.bytesWritten());
  }

  private void mergeAll() throws IOException {
    int winner = tree[0];
    while (!cursors[winner].isExhausted()) {
      LineCursor cursor = cursors[winner];
      emit(cursor);
      cursor.advance();
      int next = replay(winner);
      if (next == winner && !cursor.isExhausted()) {
        int runnerUp = bestLoserAbove(winner);
        do {
          emit(cursor);
        } while (cursor.advance() && beats(winner, runnerUp));
        next = replay(winner);
      }
      winner = next;
    }
  }

  /** Plays every leaf up the tree: the first cursor to reach a node waits there for the second. */
  private void buildTree() {
    int k = cursors.length;
    Arrays.fill(tree, NONE);
    for (int leaf = 0; leaf < k; leaf++) {
      int candidate = leaf;
      int node = (leaf + k) >>> 1;
      while (node > 0 && tree[node] != NONE) {
        int waiting = tree[node];
        if (beats(waiting, candidate)) {
          tree[node] = candidate;
          candidate = waiting;
        }
        node >>>= 1;
      }
      if (node > 0) {
        tree[node] = candidate;
      } else {
        tree[0] = candidate;
      }
    }
  }

  /** Replays the matches from the leaf of {@code cursor}, whose line changed; returns the new winner. */
  private int replay(int cursor) {
    int candidate = cursor;
    for (int node = (cursor + cursors.length) >>> 1; node > 0; node >>>= 1) {
      int loser = tree[node];
      if (beats(loser, candidate)) {
        tree[node] = candidate;
        candidate = loser;
      }
    }
    tree[0] = candidate;
    return candidate;
  }

  /**
   * The best cursor among the losers on the path from {@code winner}'s leaf to the root: when {@code winner}
   * has just won every match on that path, this is the best of all other cursors, or {@link #NONE} for k = 1.
   */
  private int bestLoserAbove(int winner) {
    int best = NONE;
    for (int node = (winner + cursors.length) >>> 1; node > 0; node >>>= 1) {
      int loser = tree[node];
      if (best == NONE || beats(loser, best)) {
        best = loser;
      }
    }
    return best;
  }

  /** Whether cursor {@code a}'s line comes before cursor {@code b}'s; exhausted cursors lose to all. */
  private boolean beats(int a, int b) {
    if (b == NONE) {
      return true;
    }
    LineCursor x = cursors[a];
    LineCursor y = cursors[b];
    if (x.isExhausted()) {
      return false;
    }
    if (y.isExhausted()) {
      return true;
    }
    int order = Arrays.compareUnsigned(
        x.buffer(), x.lineStart(), x.lineEnd(), y.buffer(), y.lineStart(), y.lineEnd());
    return order < 0 || (order == 0 && a < b);
  }

  private void emit(LineCursor cursor) throws IOException {
    // The cursor guarantees the '\n' after the line, so line and terminator go out in one copy.
    out.write(cursor.buffer(), cursor.lineStart(), cursor.lineEnd() + 1 - cursor.lineStart());
    linesWritten++;
    if (--linesUntilCheckpoint == 0) {
      progress.addLinesWritten(LINES_PER_CHECKPOINT);
      linesUntilCheckpoint = LINES_PER_CHECKPOINT;
      checkInterrupted();
    }
  }

  private static void checkInterrupted() throws InterruptedIOException {
    if (Thread.currentThread().isInterrupted()) {
      throw new InterruptedIOException("merge interrupted");
    }
  }
}
