package dev.logmerge.merge;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;

/**
 * A real S3 client that can hold back the answers to listings until released, and tells which
 * objects it was asked to HEAD: what a worker does while its inputs are being listed.
 */
final class HeldListings implements InvocationHandler {
  private final S3AsyncClient delegate;
  private final S3AsyncClient client;
  private final AtomicInteger held = new AtomicInteger();
  private final List<String> headed = new CopyOnWriteArrayList<>();
  private volatile CompletableFuture<Void> gate = CompletableFuture.completedFuture(null);

  private HeldListings(S3AsyncClient delegate) {
    this.delegate = delegate;
    this.client =
        (S3AsyncClient)
            Proxy.newProxyInstance(
                S3AsyncClient.class.getClassLoader(), new Class<?>[] {S3AsyncClient.class}, this);
  }

  static HeldListings around(S3AsyncClient delegate) {
    return new HeldListings(delegate);
  }

  /** The client to hand to the code under test. */
  S3AsyncClient client() {
    return client;
  }

  /** From now on, listings are answered only once {@link #release()} is called. */
  void hold() {
    gate = new CompletableFuture<>();
  }

  /** Answers the listings held back, and the next ones at once. */
  void release() {
    gate.complete(null);
  }

  /** Listings sent while held back. */
  int listingsHeld() {
    return held.get();
  }

  /** The keys of every HEAD of an object so far, in order. */
  List<String> headedKeys() {
    return List.copyOf(headed);
  }

  @Override
  @SuppressWarnings("unchecked")
  public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
    if (method.getName().equals("headObject")) {
      headed.add(headRequest(args[0]).key());
    }
    Object result;
    try {
      result = method.invoke(delegate, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
    CompletableFuture<Void> closed = gate;
    if (method.getName().equals("listObjectsV2")
        && result instanceof CompletableFuture<?> answer
        && !closed.isDone()) {
      held.incrementAndGet();
      return answer.thenCombine(closed, (page, released) -> page);
    }
    return result;
  }

  @SuppressWarnings("unchecked")
  private static HeadObjectRequest headRequest(Object argument) {
    if (argument instanceof HeadObjectRequest request) {
      return request;
    }
    HeadObjectRequest.Builder builder = HeadObjectRequest.builder();
    ((Consumer<HeadObjectRequest.Builder>) argument).accept(builder);
    return builder.build();
  }
}
