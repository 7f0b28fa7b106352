package dev.logmerge.devservices;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A loopback TCP proxy in front of a real server (S3Proxy, Redis, …) that injects real network
 * faults on command, so tests can break the wire between a real client and a real server:
 *
 * <ul>
 *   <li>{@link #cutResponsesAfter cut} connections once they have relayed N bytes in one direction
 *       (abortively: the peers see a connection reset mid-message),
 *   <li>{@link #refuseNewConnections() refuse} new connections (the port is closed, so the OS
 *       refuses them),
 *   <li>{@link #dropOpenConnections() reset} every open connection,
 *   <li>{@link #pause() pause} relaying in both directions (a hung server).
 * </ul>
 *
 * {@link #heal()} restores plain pass-through. Faults are counted per connection from its first
 * byte. {@link #close()} stops every thread and socket it started.
 */
public final class FaultInjectingProxy implements AutoCloseable {
  private static final int CONNECT_TIMEOUT_MILLIS = 5_000;
  private static final int BUFFER_BYTES = 16 * 1024;
  private static final AtomicInteger PROXY_NUMBERS = new AtomicInteger();

  private final InetSocketAddress target;
  private final int port;
  private final ExecutorService threads;
  private final Set<Link> links = ConcurrentHashMap.newKeySet();
  private final AtomicInteger accepted = new AtomicInteger();
  private final AtomicInteger cut = new AtomicInteger();
  private final AtomicLong responseBytes = new AtomicLong();
  private final Object pauseGate = new Object();

  private volatile CutRule responseCut;
  private volatile CutRule requestCut;
  private volatile boolean paused;
  private volatile boolean closed;
  private ServerSocket listener; // guarded by this; null while refusing connections
  private Future<?> acceptor; // guarded by this; the thread accepting on the listener

  private FaultInjectingProxy(InetSocketAddress target, ServerSocket listener, int proxyNumber) {
    this.target = target;
    this.listener = listener;
    this.port = listener.getLocalPort();
    this.threads = Executors.newCachedThreadPool(daemonThreads("fault-proxy-" + proxyNumber + "-"));
  }

  /** Starts a proxy on a free loopback port, relaying to {@code 127.0.0.1:targetPort}. */
  public static FaultInjectingProxy start(int targetPort) {
    return start(new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort));
  }

  /** Starts a proxy on a free loopback port, relaying to {@code target}. */
  public static FaultInjectingProxy start(InetSocketAddress target) {
    FaultInjectingProxy proxy =
        new FaultInjectingProxy(target, bind(0), PROXY_NUMBERS.incrementAndGet());
    proxy.startAccepting(proxy.listener);
    return proxy;
  }

  /** The loopback port clients connect to. */
  public int port() {
    return port;
  }

  /**
   * The proxy's address as a URI with the given scheme, e.g. {@code uri("http")} → {@code
   * http://127.0.0.1:port}.
   */
  public URI uri(String scheme) {
    return URI.create(scheme + "://127.0.0.1:" + port);
  }

  /**
   * Cuts every connection, open or new, once it has relayed {@code bytes} server-to-client bytes,
   * until {@link #heal()}.
   */
  public void cutResponsesAfter(long bytes) {
    cutResponsesAfter(bytes, Integer.MAX_VALUE);
  }

  /**
   * Like {@link #cutResponsesAfter(long)}, but only for the next {@code connections} cuts; then
   * relays normally again.
   */
  public void cutResponsesAfter(long bytes, int connections) {
    responseCut = new CutRule(bytes, connections);
  }

  /**
   * Cuts every connection, open or new, once it has relayed {@code bytes} client-to-server bytes,
   * until {@link #heal()}.
   */
  public void cutRequestsAfter(long bytes) {
    cutRequestsAfter(bytes, Integer.MAX_VALUE);
  }

  /**
   * Like {@link #cutRequestsAfter(long)}, but only for the next {@code connections} cuts; then
   * relays normally again.
   */
  public void cutRequestsAfter(long bytes, int connections) {
    requestCut = new CutRule(bytes, connections);
  }

  /**
   * Closes the listening port, so new connections are refused by the OS; open connections are kept.
   */
  public synchronized void refuseNewConnections() {
    if (listener != null) {
      closeQuietly(listener);
      listener = null;
      // the JDK closes a socket that a thread is blocked accepting on only once that thread has
      // left accept(); until then the kernel still completes handshakes on the port: wait, so
      // refusing is refusing
      awaitQuietly(acceptor);
    }
  }

  private static void awaitQuietly(Future<?> task) {
    try {
      task.get(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("fault-injecting proxy could not stop accepting: " + e, e);
    }
  }

  /** Resets every open connection now. */
  public void dropOpenConnections() {
    for (Link link : links) {
      link.reset();
    }
  }

  /** Stops relaying bytes in both directions (connections stay open) until {@link #heal()}. */
  public void pause() {
    paused = true;
  }

  /** Back to plain pass-through: no cuts, not paused, accepting connections on the same port. */
  public synchronized void heal() {
    responseCut = null;
    requestCut = null;
    synchronized (pauseGate) {
      paused = false;
      pauseGate.notifyAll();
    }
    if (listener == null && !closed) {
      listener = bind(port);
      startAccepting(listener);
    }
  }

  /** Connections accepted so far. */
  public int connectionsAccepted() {
    return accepted.get();
  }

  /** Connections open now: accepted and not yet closed by either side (or by a fault). */
  public int openConnections() {
    return links.size();
  }

  /**
   * Bytes relayed from the server to clients so far, over all connections: how much a client has
   * been sent, whatever it has read yet.
   */
  public long responseBytesRelayed() {
    return responseBytes.get();
  }

  /** Connections cut by a cut rule so far (not counting {@link #dropOpenConnections()}). */
  public int connectionsCut() {
    return cut.get();
  }

  @Override
  public void close() {
    synchronized (this) {
      closed = true;
      refuseNewConnections();
    }
    synchronized (pauseGate) {
      pauseGate.notifyAll();
    }
    for (Link link : links) {
      link.close();
    }
    threads.shutdownNow();
    try {
      if (!threads.awaitTermination(10, TimeUnit.SECONDS)) {
        throw new IllegalStateException("fault-injecting proxy threads did not stop within 10 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static ServerSocket bind(int port) {
    try {
      ServerSocket socket = new ServerSocket();
      // healing re-binds the same port while connections closed by a cut may linger in TIME_WAIT
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
      return socket;
    } catch (IOException e) {
      throw new UncheckedIOException(
          "fault-injecting proxy cannot listen on loopback port " + port, e);
    }
  }

  private void startAccepting(ServerSocket socket) {
    acceptor =
        threads.submit(
            () -> {
              while (!socket.isClosed()) {
                Socket client;
                try {
                  client = socket.accept();
                } catch (IOException e) {
                  return; // the listener was closed: refusing connections, or closing
                }
                accepted.incrementAndGet();
                Link link = new Link(client);
                links.add(link);
                try {
                  threads.execute(link::relay);
                } catch (RejectedExecutionException e) {
                  link.close(); // closing
                  return;
                }
              }
            });
  }

  private void awaitUnpaused() throws InterruptedException {
    synchronized (pauseGate) {
      while (paused && !closed) {
        pauseGate.wait();
      }
    }
  }

  private static ThreadFactory daemonThreads(String prefix) {
    AtomicInteger count = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, prefix + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }

  private static void closeQuietly(AutoCloseable closeable) {
    try {
      closeable.close();
    } catch (Exception ignored) {
      // best effort: the socket is being torn down anyway
    }
  }

  /** "Cut after N bytes" for a limited number of connections. */
  private static final class CutRule {
    final long bytes;
    private final AtomicInteger remaining;

    CutRule(long bytes, int connections) {
      if (bytes < 0 || connections < 1) {
        throw new IllegalArgumentException("bytes must be >= 0 and connections >= 1");
      }
      this.bytes = bytes;
      this.remaining = new AtomicInteger(connections);
    }

    /** Claims one cut; false once the rule is used up. */
    boolean claim() {
      return remaining.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0;
    }
  }

  private enum Direction {
    REQUEST,
    RESPONSE
  }

  /**
   * One client connection and its connection to the target, relayed by one thread per direction.
   */
  private final class Link {
    private final Socket client;
    private final Socket upstream = new Socket();
    private final AtomicInteger directionsEnded = new AtomicInteger();

    Link(Socket client) {
      this.client = client;
    }

    void relay() {
      try {
        upstream.connect(target, CONNECT_TIMEOUT_MILLIS);
        threads.execute(() -> pump(upstream, client, Direction.RESPONSE));
      } catch (IOException | RejectedExecutionException e) {
        close();
        return;
      }
      pump(client, upstream, Direction.REQUEST);
    }

    private void pump(Socket from, Socket to, Direction direction) {
      byte[] buffer = new byte[BUFFER_BYTES];
      long relayed = 0;
      try {
        InputStream in = from.getInputStream();
        OutputStream out = to.getOutputStream();
        int n;
        while ((n = in.read(buffer)) >= 0) {
          awaitUnpaused();
          CutRule rule = direction == Direction.REQUEST ? requestCut : responseCut;
          if (rule != null && relayed + n > rule.bytes && rule.claim()) {
            out.write(buffer, 0, (int) Math.max(0, rule.bytes - relayed));
            out.flush();
            cut.incrementAndGet();
            reset();
            return;
          }
          out.write(buffer, 0, n);
          out.flush();
          if (direction == Direction.RESPONSE) {
            responseBytes.addAndGet(n);
          }
          relayed += n;
        }
        to.shutdownOutput(); // pass the half-close on, as a plain TCP path would
        if (directionsEnded.incrementAndGet() == 2) {
          close();
        }
      } catch (IOException | InterruptedException e) {
        close();
      }
    }

    /** Closes both sockets abortively (RST), as a network failure would. */
    void reset() {
      for (Socket socket : new Socket[] {client, upstream}) {
        try {
          socket.setSoLinger(true, 0);
        } catch (IOException ignored) {
          // already closed
        }
      }
      close();
    }

    void close() {
      closeQuietly(client);
      closeQuietly(upstream);
      links.remove(this);
    }
  }
}
