package dev.logmerge.merge.engine;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.List;

/**
 * Merges sorted {@link LineCursor}s into one sorted stream of lines, breaking ties between equal
 * lines by cursor order, so the merge is deterministic.
 *
 * <p>A loser tree picks the next line with about log2(k) matches. Each node also keeps its loser's
 * {@link OffsetValueCode} relative to the match's winner; after a line is output, the next line of
 * its cursor comes coded against it (the cursor computes that code in its order check), and so does
 * every loser on the path to the root. Most matches therefore compare two longs without touching
 * line bytes. A cursor that keeps winning (a run, as when inputs cover different hours) costs one
 * long comparison per line: its next line is checked against the best code on its path, and only a
 * line that does not beat it replays the tree.
 */
final class KWayMerger {
  /** How often the merge looks at the interrupt flag and publishes lines written. */
  private static final int LINES_PER_CHECKPOINT = 4096;

  private static final int OUTPUT_BUFFER_BYTES = 64 * 1024;
  private static final int NONE = -1;

  /** A {@link #runBound} that no code is below. */
  private static final long NO_RUN = OffsetValueCode.EQUAL;

  private final LineCursor[] cursors;

  /**
   * {@code losers[0]} is the winner; {@code losers[1..k-1]} hold the loser of the match at each
   * inner node. The leaf of cursor {@code i} sits at virtual node {@code k + i}; node {@code n}'s
   * parent is {@code n / 2}.
   */
  private final int[] losers;

  /**
   * {@code codes[n]}: the code of {@code losers[n]}'s line relative to the line that won at node n.
   */
  private final long[] codes;

  private final MergeProgress progress;

  /**
   * When the last replay left its cursor the winner: the smallest code among the losers on that
   * cursor's path. A next line of the same cursor with a smaller code beats them all, and their
   * codes stay valid relative to it, so a run of such lines is emitted without touching the tree.
   */
  private long runBound = NO_RUN;

  /** Set by {@link #play}: the loser's code relative to the winner. */
  private long playedLoserCode;

  private OutputBuffer out;
  private long linesWritten;
  private int linesUntilCheckpoint = LINES_PER_CHECKPOINT;

  /** What a merge wrote. */
  record Result(long linesWritten, long bytesWritten) {}

  /**
   * @param cursors positioned before their first line; the order breaks ties
   */
  KWayMerger(List<LineCursor> cursors, MergeProgress progress) {
    this.cursors = cursors.toArray(new LineCursor[0]);
    this.losers = new int[Math.max(1, this.cursors.length)];
    this.codes = new long[losers.length];
    this.progress = progress;
  }

  /**
   * Writes every line of every cursor, each followed by {@code '\n'}, in sorted order. Does not
   * flush or close {@code sink}.
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
      int winner = losers[0];
      while (!cursors[winner].isExhausted()) {
        LineCursor cursor = cursors[winner];
        emit(cursor);
        cursor.advance();
        if (cursor.code() >= runBound) {
          winner = replay(winner);
        }
      }
    }
    out.drain();
    progress.addLinesWritten(LINES_PER_CHECKPOINT - linesUntilCheckpoint);
    return new Result(linesWritten, out.bytesWritten());
  }

  /**
   * Plays every leaf up the tree, the first cursor to reach a node waiting there for the second.
   * Lines have no common base yet, so these matches compare whole lines.
   */
  private void buildTree() {
    int k = cursors.length;
    Arrays.fill(losers, NONE);
    for (int leaf = 0; leaf < k; leaf++) {
      int candidate = leaf;
      int node = (leaf + k) >>> 1;
      while (node > 0 && losers[node] != NONE) {
        int waiting = losers[node];
        int winner = playWholeLines(waiting, candidate);
        losers[node] = winner == waiting ? candidate : waiting;
        codes[node] = playedLoserCode;
        candidate = winner;
        node >>>= 1;
      }
      losers[node] = candidate;
    }
  }

  /**
   * Replays the matches from the leaf of {@code cursor}, the last winner, which has moved to its
   * next line; returns the new winner. Every line met on the path is coded against the line just
   * output.
   */
  private int replay(int cursor) {
    int candidate = cursor;
    long candidateCode = cursors[cursor].code();
    long smallestLoserCode = OffsetValueCode.EXHAUSTED;
    for (int node = (cursor + cursors.length) >>> 1; node > 0; node >>>= 1) {
      long loserCode = codes[node];
      int loser = losers[node];
      if (loserCode == candidateCode) {
        int winner = playEqualCodes(candidate, loser, candidateCode);
        if (winner == loser) {
          losers[node] = candidate;
          candidate = loser;
        }
        codes[node] = playedLoserCode;
      } else {
        // Which side wins is as good as random in an interleaved merge: written as selects, so the
        // JIT may use conditional moves instead of a branch that mispredicts.
        boolean loserWins = loserCode < candidateCode;
        losers[node] = loserWins ? candidate : loser;
        codes[node] = loserWins ? candidateCode : loserCode;
        candidate = loserWins ? loser : candidate;
        candidateCode = loserWins ? loserCode : candidateCode;
      }
      smallestLoserCode = Math.min(smallestLoserCode, codes[node]);
    }
    losers[0] = candidate;
    runBound = candidate == cursor ? smallestLoserCode : NO_RUN;
    return candidate;
  }

  /** Plays two cursors whose lines carry the same code relative to the same base. */
  private int playEqualCodes(int a, int b, long code) {
    if (code == OffsetValueCode.EQUAL || code == OffsetValueCode.EXHAUSTED) {
      playedLoserCode = code;
      return Math.min(a, b);
    }
    return play(a, b, OffsetValueCode.sharedPrefixLength(code));
  }

  private int playWholeLines(int a, int b) {
    boolean aDone = cursors[a].isExhausted();
    boolean bDone = cursors[b].isExhausted();
    if (aDone || bDone) {
      playedLoserCode = OffsetValueCode.EXHAUSTED;
      return aDone && bDone ? Math.min(a, b) : aDone ? b : a;
    }
    return play(a, b, 0);
  }

  /**
   * Compares the lines of cursors {@code a} and {@code b}, known to be equal before byte {@code
   * from}; returns the winner (the smaller line, or the smaller cursor index for equal lines) and
   * sets {@link #playedLoserCode}.
   */
  private int play(int a, int b, int from) {
    LineCursor x = cursors[a];
    LineCursor y = cursors[b];
    byte[] xBytes = x.buffer();
    byte[] yBytes = y.buffer();
    int xStart = x.lineStart();
    int yStart = y.lineStart();
    int xLength = x.lineEnd() - xStart;
    int yLength = y.lineEnd() - yStart;
    int mismatch =
        Arrays.mismatch(xBytes, xStart + from, x.lineEnd(), yBytes, yStart + from, y.lineEnd());
    if (mismatch < 0) {
      playedLoserCode = OffsetValueCode.EQUAL;
      return Math.min(a, b);
    }
    mismatch += from;
    boolean xFirst =
        mismatch == xLength
            || (mismatch < yLength
                && (xBytes[xStart + mismatch] & 0xFF) < (yBytes[yStart + mismatch] & 0xFF));
    playedLoserCode =
        xFirst
            ? OffsetValueCode.of(yBytes, yStart, yLength, mismatch)
            : OffsetValueCode.of(xBytes, xStart, xLength, mismatch);
    return xFirst ? a : b;
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
